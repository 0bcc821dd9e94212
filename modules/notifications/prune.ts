// notifications.prune: read notifications go after `keep_days` (90 by
// default), daily (migration 20261207193100); unread ones stay until read.
// Web-standard: the jobs Edge Function runs it.
import { type JobHandler, keepDaysOf } from "../jobs/edge.ts";

export const PRUNE_NOTIFICATIONS_JOB = "notifications.prune";

export const pruneNotifications: JobHandler = async (job, { sql }) => {
  await sql.unsafe("select private.prune_notifications(make_interval(days => $1))", [keepDaysOf(job.payload, 90)]);
};
