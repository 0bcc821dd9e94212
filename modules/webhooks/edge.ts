// Edge face of webhooks: what the jobs Edge Function (Deno) runs for this
// module. The webhook-dispatch function imports dispatcher.ts itself.
export { pruneWebhookHistory } from "./prune-job.ts";
