// Edge face of routing: the job handlers the `jobs` Edge Function (Deno) runs.
export { deliverToPartner, expirePartnerOffers } from "./jobs.ts";
export { OFFER_WEBHOOK_JOB, postOfferWebhook } from "./webhook-job.ts";
