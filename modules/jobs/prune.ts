// jobs.prune: the queue's own housekeeping, scheduled hourly by the jobs
// migration. Succeeded and discarded jobs and their attempts go after
// `keep_days` (7 by default, the week Settings → Jobs shows); dead ones stay
// for an admin to retry or discard. private.prune_jobs removes at most
// 100,000 per run, so hourly runs work through a backlog.
import { type JobHandler, PermanentJobError } from "./runner.ts";

/** A housekeeping job's `keep_days`, or `fallback` when the payload has none; a bad value fails the job for good. */
export function keepDaysOf(payload: unknown, fallback: number): number {
  const keepDays = (payload as { keep_days?: unknown } | null)?.keep_days ?? fallback;
  if (typeof keepDays !== "number" || !Number.isInteger(keepDays) || keepDays < 1 || keepDays > 3650) {
    throw new PermanentJobError(`keep_days must be a whole number of days from 1 to 3650; got ${JSON.stringify(keepDays)}`);
  }
  return keepDays;
}

export const pruneJobs: JobHandler = async (job, { sql }) => {
  await sql.unsafe("select private.prune_jobs(make_interval(days => $1))", [keepDaysOf(job.payload, 7)]);
};
