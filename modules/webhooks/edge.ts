// Edge face of webhooks: what the jobs Edge Function (Deno) runs for this
// module, and the signing and SSRF guard other modules' jobs send with (a
// partner's offer). The webhook-dispatch function imports dispatcher.ts itself.
export { describeFetchError } from "./dispatcher.ts";
export { pruneWebhookHistory } from "./prune-job.ts";
export { signWebhook } from "./sign.ts";
export { checkUrl } from "./ssrf.ts";
