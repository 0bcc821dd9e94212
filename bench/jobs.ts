// The job queue's own cost: jobs claimed, run (a handler that does nothing)
// and recorded per second by 2 workers (runJobs, as the jobs Edge Function
// runs it, each with its own connections), beside the floor: the same
// number of rows updated one at a time by primary key over 2 connections
// (`update … returning`, one round trip per row), about the least a queue
// that records each job's outcome as it finishes could cost.
//
// Starts its own throwaway PostgreSQL in a temp dir.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { applyLocalPlatform, applyMigrations, LOCAL_ROLE_PASSWORDS } from "../lib/db/migrate.ts";
import { runJobs } from "../modules/jobs/runner.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";

const PORT = Number(process.env.BENCH_PG_PORT_JOBS ?? 54398);
const JOBS = Number(process.env.BENCH_JOBS ?? 20_000);
const WORKERS = 2;

export default async function bench() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-bench-jobs-"));
  chmodSync(dir, 0o755);
  const pg = await startLocalPostgres({ dir: path.join(dir, "pg"), port: PORT, persistent: false });
  const admin = postgres(pg.adminUrl(), { max: 2, onnotice: () => {} });
  const appUrl = `postgres://covey_app:${LOCAL_ROLE_PASSWORDS.covey_app}@127.0.0.1:${PORT}/postgres`;
  const pools: postgres.Sql[] = [];
  const pool = (max: number) => {
    const p = postgres(appUrl, { max, prepare: false, onnotice: () => {}, connection: { role: "service_role" } });
    pools.push(p);
    return p;
  };
  try {
    await applyLocalPlatform(pg.adminUrl());
    await applyMigrations(pg.adminUrl());
    // The hourly prune is not what is measured.
    await admin`delete from private.job_schedules`;

    // Queue: 2 workers run everything that is due.
    await admin`insert into jobs (kind, payload) select 'bench.noop', jsonb_build_object('n', g) from generate_series(1, ${JOBS}) g`;
    await admin`vacuum analyze jobs`;
    let ran = 0;
    const handlers = { "bench.noop": async () => void ran++ };
    const started = performance.now();
    const summaries = await Promise.all(
      Array.from({ length: WORKERS }, () => runJobs(pool(11), handlers, { concurrency: 10, batchSize: 50, maxRunMs: 600_000 })),
    );
    const queueSeconds = (performance.now() - started) / 1000;
    const [{ done }] = await admin`select count(*)::int as done from jobs where status = 'succeeded'`;
    if (done !== JOBS || ran !== JOBS) throw new Error(`ran ${ran} and finished ${done} of ${JOBS} jobs`);
    const queuePerSecond = JOBS / queueSeconds;

    // Floor: the same number of rows, each taken by a bare update … returning.
    await admin`create table bench_floor (id bigint generated always as identity primary key, done boolean not null default false)`;
    await admin`grant select, update on bench_floor to service_role`;
    await admin`insert into bench_floor (done) select false from generate_series(1, ${JOBS})`;
    await admin`vacuum analyze bench_floor`;
    const floorStarted = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, w) => {
        const sql = pool(1);
        for (let id = w + 1; id <= JOBS; id += WORKERS) {
          await sql`update bench_floor set done = true where id = ${id} returning id`;
        }
      }),
    );
    const floorSeconds = (performance.now() - floorStarted) / 1000;
    const floorPerSecond = JOBS / floorSeconds;

    console.log(
      `queue: ${JOBS} no-op jobs by ${WORKERS} workers in ${queueSeconds.toFixed(1)} s = ${queuePerSecond.toFixed(0)} jobs/s ` +
        `(claimed ${summaries.map((s) => s.claimed).join(" + ")}); floor (bare update … returning, ${WORKERS} connections): ` +
        `${floorPerSecond.toFixed(0)} rows/s; the queue runs at ${((queuePerSecond / floorPerSecond) * 100).toFixed(0)}% of the floor`,
    );
    return {
      jobs: JOBS,
      workers: WORKERS,
      jobsPerSecond: Math.round(queuePerSecond),
      floorRowsPerSecond: Math.round(floorPerSecond),
      ratioToFloor: Number((queuePerSecond / floorPerSecond).toFixed(2)),
      claimedPerWorker: summaries.map((s) => s.claimed),
    };
  } finally {
    await Promise.all(pools.map((p) => p.end({ timeout: 1 })));
    await admin.end({ timeout: 1 });
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
