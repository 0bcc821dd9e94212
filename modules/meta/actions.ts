"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import type { SessionActor } from "@/lib/auth/actor";
import { getSession } from "@/lib/auth/session";
import { appMetaDeps } from "./deps";
import * as adAccounts from "./ad-accounts";
import * as service from "./service";

async function run<T>(what: string, fn: (actor: SessionActor) => Promise<T>): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    const data = await fn({ claims: session.claims, orgId: session.org.id, role: session.role });
    revalidatePath("/settings/integrations", "layout");
    return ok(data);
  } catch (e) {
    return actionFailure(e, `Could not ${what}. Try again.`);
  }
}

export async function connectMetaPage(input: unknown) {
  return run("connect the page", (actor) => service.connectPage(appMetaDeps(), actor, input));
}

export async function testMetaConnection(input: unknown) {
  return run("test the connection", (actor) => service.testConnection(appMetaDeps(), actor, input));
}

export async function setMetaFormCreatesLeads(input: unknown) {
  return run("change the form", (actor) => service.setFormCreatesLeads(appMetaDeps(), actor, input));
}

export async function saveMetaFormMapping(input: unknown) {
  return run("save the mapping", (actor) => service.saveFormMapping(appMetaDeps(), actor, input));
}

export async function disconnectMetaPage(input: unknown) {
  return run("disconnect the page", (actor) => service.disconnectPage(appMetaDeps(), actor, input));
}

export async function saveMetaConversionsDataset(input: unknown) {
  return run("save the dataset", (actor) => service.setConversionsDataset(appMetaDeps(), actor, input));
}

export async function saveMetaConversionStages(input: unknown) {
  return run("save the conversion stages", (actor) => service.saveConversionStages(appMetaDeps(), actor, input));
}

export async function connectMetaAdAccount(input: unknown) {
  return run("connect the ad account", (actor) => adAccounts.connectAdAccount(appMetaDeps(), actor, input));
}

export async function testMetaAdAccount(input: unknown) {
  return run("test the ad account", (actor) => adAccounts.testAdAccount(appMetaDeps(), actor, input));
}

export async function setMetaAdAccountEnabled(input: unknown) {
  return run("change the ad account", (actor) => adAccounts.setAdAccountEnabled(appMetaDeps(), actor, input));
}

export async function importMetaAdSpendNow(input: unknown) {
  return run("queue the import", (actor) => adAccounts.importAdSpendNow(appMetaDeps(), actor, input));
}

export async function disconnectMetaAdAccount(input: unknown) {
  return run("disconnect the ad account", (actor) => adAccounts.disconnectAdAccount(appMetaDeps(), actor, input));
}
