// jobs.prune: the queue's own housekeeping, scheduled hourly by the jobs
// migration. Finished jobs and their attempts go after `keep_days` (30 by
// default); private.prune_jobs removes at most 100,000 per run, so hourly
// runs work through a backlog.
import { type JobHandler, PermanentJobError } from "./runner.ts";

export const pruneJobs: JobHandler = async (job, { sql }) => {
  const payload = (job.payload ?? {}) as { keep_days?: unknown };
  const keepDays = payload.keep_days ?? 30;
  if (typeof keepDays !== "number" || !Number.isInteger(keepDays) || keepDays < 1 || keepDays > 3650) {
    throw new PermanentJobError(`keep_days must be a whole number of days from 1 to 3650; got ${JSON.stringify(keepDays)}`);
  }
  await sql.unsafe("select private.prune_jobs(make_interval(days => $1))", [keepDays]);
};
