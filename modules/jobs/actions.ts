"use server";

import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions";
import * as service from "./service";

export async function retryJobAction(input: unknown) {
  const r = await runAction("jobs.manage", "Could not retry the job. Try again.", (tx) => service.retryJob(tx, input));
  if (r.ok) revalidatePath("/settings/jobs");
  return r;
}

export async function discardJobAction(input: unknown) {
  const r = await runAction("jobs.manage", "Could not discard the job. Try again.", (tx) => service.discardJob(tx, input));
  if (r.ok) revalidatePath("/settings/jobs");
  return r;
}
