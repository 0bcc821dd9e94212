// Outbound webhooks in the embedded runtime: the webhook-dispatch Edge
// Function hosted under Deno (deno.ts), called when a transaction fans out
// deliveries (LISTEN covey_webhooks) and every few seconds for retries.
// (The webhook history is pruned by the job queue's webhooks.prune_history.)
import path from "node:path";
import { type HostedFunction, hostEdgeFunction, type HostOptions } from "./deno.ts";

const root = path.resolve(import.meta.dirname, "../..");
export const WEBHOOK_DISPATCH_FUNCTION = path.join(root, "supabase/functions/webhook-dispatch/index.ts");

export type WebhookScheduler = HostedFunction;

export function startWebhookScheduler(opts: HostOptions): Promise<WebhookScheduler> {
  return hostEdgeFunction(
    {
      name: "webhook-dispatch",
      file: WEBHOOK_DISPATCH_FUNCTION,
      secretEnv: "WEBHOOK_DISPATCH_SECRET",
      nudgeOn: "covey_webhooks",
      env: { COVEY_WEBHOOKS_ALLOW_LOOPBACK: "1" },
    },
    { ...opts, log: opts.log ?? ((l: string) => console.log(`[webhooks] ${l}`)) },
  );
}
