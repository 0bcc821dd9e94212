import { sql } from "kysely";
import type { Tx } from "@/lib/db";
import type { JobView } from "./views";

export const JOBS_PAGE = 100;

export interface JobRow {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export interface JobAttemptRow {
  id: string;
  job_id: string;
  attempt: number;
  started_at: Date;
  finished_at: Date | null;
  outcome: string | null;
  error: string | null;
}

/** The org's jobs in one view, newest activity first (RLS: owners and admins only). Payloads are not read: they may hold personal data. */
export async function listJobs(tx: Tx, view: JobView): Promise<JobRow[]> {
  let q = tx
    .selectFrom("jobs")
    .select(["id", "kind", "status", "attempts", "max_attempts", "run_at", "last_error", "created_at", "finished_at"]);
  if (view === "failed") q = q.where("status", "=", "pending").where("attempts", ">", 0).orderBy("run_at", "asc");
  else if (view === "pending") q = q.where("status", "=", "pending").where("attempts", "=", 0).orderBy("run_at", "asc");
  else if (view === "running") q = q.where("status", "=", "running").orderBy("run_at", "asc");
  else if (view === "dead") q = q.where("status", "=", "dead").orderBy("finished_at", "desc");
  else q = q.where("status", "=", "succeeded").where("finished_at", ">", sql<Date>`now() - interval '7 days'`).orderBy("finished_at", "desc");
  return (await q.orderBy("id", "desc").limit(JOBS_PAGE).execute()) as JobRow[];
}

/** How many jobs each view holds (the tabs' counts). */
export async function countJobs(tx: Tx): Promise<Record<JobView, number>> {
  const { rows } = await sql<Record<JobView, number>>`
    select count(*) filter (where status = 'pending' and attempts > 0)::int as failed,
           count(*) filter (where status = 'dead')::int as dead,
           count(*) filter (where status = 'pending' and attempts = 0)::int as pending,
           count(*) filter (where status = 'running')::int as running,
           count(*) filter (where status = 'succeeded' and finished_at > now() - interval '7 days')::int as succeeded
    from public.jobs`.execute(tx);
  return rows[0];
}

/** The attempts of these jobs, oldest first. */
export async function listJobAttempts(tx: Tx, jobIds: string[]): Promise<JobAttemptRow[]> {
  if (jobIds.length === 0) return [];
  return (await tx
    .selectFrom("job_attempts")
    .select(["id", "job_id", "attempt", "started_at", "finished_at", "outcome", "error"])
    .where("job_id", "in", jobIds)
    .orderBy("id", "asc")
    .execute()) as JobAttemptRow[];
}
