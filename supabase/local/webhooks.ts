// Outbound webhooks in the embedded runtime: the webhook-dispatch Edge
// Function hosted under Deno (deno.ts), called when a transaction fans out
// deliveries (LISTEN covey_webhooks) and every few seconds for retries.
// Every 10 minutes it prunes the webhook history
// (private.prune_webhook_history, as pg_cron does in production).
import path from "node:path";
import postgres from "postgres";
import { type HostedFunction, hostEdgeFunction, type HostOptions } from "./deno.ts";

const root = path.resolve(import.meta.dirname, "../..");
export const WEBHOOK_DISPATCH_FUNCTION = path.join(root, "supabase/functions/webhook-dispatch/index.ts");

export interface WebhookSchedulerOptions extends HostOptions {
  /** How often the webhook history is pruned (default every 10 minutes, first a minute after start; 0: never). */
  pruneMs?: number;
}

export type WebhookScheduler = HostedFunction;

export async function startWebhookScheduler(opts: WebhookSchedulerOptions): Promise<WebhookScheduler> {
  const log = opts.log ?? ((l: string) => console.log(`[webhooks] ${l}`));
  const fn = await hostEdgeFunction(
    {
      name: "webhook-dispatch",
      file: WEBHOOK_DISPATCH_FUNCTION,
      secretEnv: "WEBHOOK_DISPATCH_SECRET",
      nudgeOn: "covey_webhooks",
      env: { COVEY_WEBHOOKS_ALLOW_LOOPBACK: "1" },
    },
    { ...opts, log },
  );
  let closing = false;

  // On a connection of its own, as service_role: the listener's is busy listening.
  async function prune() {
    const sql = postgres(opts.databaseUrl, { max: 1, onnotice: () => {}, connection: { role: "service_role", application_name: "webhook-prune" } });
    try {
      const [r] = await sql<{ deliveries: string; events: string }[]>`select deliveries, events from private.prune_webhook_history()`;
      if (Number(r.deliveries) || Number(r.events)) log(`webhook history pruned: ${r.deliveries} deliveries, ${r.events} domain events`);
    } catch (e) {
      if (!closing) log(`webhook history could not be pruned: ${e instanceof Error ? e.message : e}`);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  const pruneMs = opts.pruneMs ?? 600_000;
  const pruneTimers = pruneMs > 0 ? [setTimeout(prune, Math.min(pruneMs, 60_000)), setInterval(prune, pruneMs)] : [];

  return {
    ...fn,
    get functionUrl() {
      return fn.functionUrl;
    },
    async close() {
      if (closing) return;
      closing = true;
      for (const timer of pruneTimers) clearTimeout(timer);
      await fn.close();
    },
  };
}
