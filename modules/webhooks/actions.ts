"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import type { SessionActor } from "@/lib/auth/actor";
import { getSession } from "@/lib/auth/session";
import { database } from "@/lib/db";
import * as service from "./service";

async function run<T>(
  what: string,
  fn: (actor: SessionActor) => Promise<T>,
  // The dashboard shows the failing-endpoint alert too.
  revalidate: "settings" | "app" | null = "settings",
): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    const data = await fn({ claims: session.claims, orgId: session.org.id, role: session.role });
    if (revalidate) revalidatePath(revalidate === "app" ? "/" : "/settings/webhooks", "layout");
    return ok(data);
  } catch (e) {
    return actionFailure(e, `Could not ${what}. Try again.`);
  }
}

export async function createWebhookEndpoint(input: unknown) {
  return run("add the endpoint", (actor) => service.createEndpoint(database(), actor, input));
}

export async function updateWebhookEndpoint(input: unknown) {
  return run("save the endpoint", (actor) => service.updateEndpoint(database(), actor, input));
}

export async function setWebhookEndpointEnabled(input: unknown) {
  return run("change the endpoint", (actor) => service.setEndpointEnabled(database(), actor, input), "app");
}

export async function deleteWebhookEndpoint(input: unknown) {
  return run("delete the endpoint", (actor) => service.deleteEndpoint(database(), actor, input), "app");
}

export async function revealWebhookSecret(input: unknown) {
  return run("show the secret", (actor) => service.revealSecret(database(), actor, input), null);
}

export async function rotateWebhookSecret(input: unknown) {
  return run("rotate the secret", (actor) => service.rotateSecret(database(), actor, input));
}

export async function sendWebhookTestEvent(input: unknown) {
  return run("send the test event", (actor) => service.sendTestEvent(database(), actor, input));
}

export async function replayWebhookDeliveries(input: unknown) {
  return run("replay the deliveries", (actor) => service.replayDeliveries(database(), actor, input));
}
