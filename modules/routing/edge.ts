// Edge face of routing: the job handlers the `jobs` Edge Function (Deno) runs.
export { deliverToPartner, expirePartnerOffers } from "./jobs.ts";
