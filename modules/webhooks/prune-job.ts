// webhooks.prune_history: the job (scheduled every 10 minutes by migration
// 20261207100200) that keeps the webhook history to its retention; each run
// removes at most 100,000 rows of each kind, so runs work through a backlog.
import type { JobHandler } from "../jobs/edge.ts";

export const pruneWebhookHistory: JobHandler = async (_job, { sql }) => {
  await sql.unsafe("select deliveries, events from private.prune_webhook_history()");
};
