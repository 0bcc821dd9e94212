"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions";
import * as service from "./service";

// The settings nav's badge counts open alerts on every page.
const done = <T>(data: T) => {
  revalidatePath("/settings/integrations");
  return data;
};

export async function acknowledgeIntegrationAlert(input: unknown) {
  return runAction("integrations.manage", "Could not acknowledge the alert. Try again.", async (tx) =>
    done(await service.acknowledgeAlert(tx, input)),
  );
}

export async function snoozeIntegrationAlert(input: unknown) {
  return runAction("integrations.manage", "Could not snooze the alert. Try again.", async (tx) =>
    done(await service.snoozeAlert(tx, input)),
  );
}

export async function resolveIntegrationAlert(input: unknown) {
  return runAction("integrations.manage", "Could not resolve the alert. Try again.", async (tx) =>
    done(await service.resolveAlert(tx, input)),
  );
}
