"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, fail, ok } from "@/lib/action-result";
import { actionFailure } from "@/lib/actions";
import type { SessionActor } from "@/lib/auth/actor";
import { getSession } from "@/lib/auth/session";
import { appTwilioDeps } from "./deps";
import * as service from "./service";

async function run<T>(what: string, fn: (actor: SessionActor) => Promise<T>): Promise<ActionResult<T>> {
  const session = await getSession();
  if (!session) return fail("Your session has expired. Sign in again.");
  try {
    const data = await fn({ claims: session.claims, orgId: session.org.id, role: session.role });
    revalidatePath("/settings/numbers");
    revalidatePath("/settings/integrations");
    return ok(data);
  } catch (e) {
    return actionFailure(e, `Could not ${what}. Try again.`);
  }
}

export async function connectTwilio(input: unknown) {
  return run("connect Twilio", (actor) => service.connectTwilio(appTwilioDeps(), actor, input));
}

export async function testTwilioConnection() {
  return run("test the connection", (actor) => service.testTwilioConnection(appTwilioDeps(), actor));
}

export async function disconnectTwilio() {
  return run("disconnect Twilio", (actor) => service.disconnectTwilio(appTwilioDeps(), actor));
}

export async function addPhone(input: unknown) {
  return run("add the number", (actor) => service.addPhone(appTwilioDeps(), actor, input));
}

export async function updatePhone(input: unknown) {
  return run("save the number", (actor) => service.updatePhone(appTwilioDeps(), actor, input));
}

export async function removePhone(input: unknown) {
  return run("remove the number", (actor) => service.removePhone(appTwilioDeps(), actor, input));
}

export async function updatePhoneVoice(input: unknown) {
  return run("save how the number answers calls", (actor) => service.updatePhoneVoice(appTwilioDeps(), actor, input));
}
