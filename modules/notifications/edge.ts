// Edge face of notifications: the housekeeping job the jobs Edge Function (Deno) runs.
export { PRUNE_NOTIFICATIONS_JOB, pruneNotifications } from "./prune.ts";
