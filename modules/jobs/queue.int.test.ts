// The job queue on real Postgres: enqueue, claim, run, retry, dead letter,
// leases, schedules and the admins' retry/discard. Retries are made due by
// moving run_at, never by sleeping through a backoff.
import postgres from "postgres";
import { sql as ksql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxDelayMs } from "@/lib/backoff";
import { createMember, createUser, useTestDatabase, type TestUser } from "@/tests/support/db";
import { handlers as registry } from "@/supabase/functions/jobs/handlers";
import { countJobs, listJobAttempts, listJobs } from "./queries";
import { enqueueJob, type JobHandler, PermanentJobError, runJobs } from "./runner";
import { discardJob, retryJob } from "./service";

const t = useTestDatabase();
let service: postgres.Sql;
let owner: TestUser;
let member: TestUser;
let stranger: TestUser;

beforeAll(async () => {
  service = postgres(t.appUrl, { max: 6, prepare: false, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Queue Co" });
  member = await createMember(t, owner.orgId, "member");
  stranger = await createUser(t, { orgName: "Elsewhere" });
});
afterAll(async () => {
  await service?.end();
});

const job = async (id: bigint | string) => (await t.admin`select * from jobs where id = ${String(id)}`)[0];
const attempts = (id: bigint | string) => t.admin`select * from job_attempts where job_id = ${String(id)} order by id`;
const makeDue = (id: bigint | string) => t.admin`update jobs set run_at = now() where id = ${String(id)}`;
const run = (extra: Record<string, JobHandler>, opts = {}) => runJobs(service, { ...registry, ...extra }, opts);

describe("enqueue", () => {
  it("queues one job per kind and key, even when the same key is enqueued concurrently", async () => {
    const ids = await Promise.all(
      Array.from({ length: 8 }, () => enqueueJob(service, { kind: "test.once", payload: { n: 1 }, orgId: owner.orgId, key: "lead-42" })),
    );
    expect(new Set(ids.map(String)).size).toBe(1);
    expect(await t.admin`select id from jobs where kind = 'test.once'`).toHaveLength(1);
    // The same key under another kind is another job; no key means a new job each time.
    const other = await enqueueJob(service, { kind: "test.once-other", payload: {}, key: "lead-42" });
    expect(String(other)).not.toBe(String(ids[0]));
    const a = await enqueueJob(service, { kind: "test.keyless", payload: {} });
    const b = await enqueueJob(service, { kind: "test.keyless", payload: {} });
    expect(String(a)).not.toBe(String(b));
  });

  it("wakes the runner with a notification when a job is due now", async () => {
    const listener = postgres(t.appUrl, { max: 1, onnotice: () => {} });
    const heard: string[] = [];
    await listener.listen("covey_jobs", (p) => heard.push(p));
    try {
      await enqueueJob(service, { kind: "test.later", payload: {}, runAt: new Date(Date.now() + 3600_000) });
      await enqueueJob(service, { kind: "test.now", payload: {} });
      // Notifications arrive in commit order: the marker comes last.
      await t.admin`select pg_notify('covey_jobs', 'marker')`;
      await expect.poll(() => heard.at(-1)).toBe("marker");
      expect(heard).toEqual(["", "marker"]);
    } finally {
      await listener.end();
    }
  });

  it("is for the service role and security-definer code only", async () => {
    await expect(
      t.db.asUser(owner.claims, (tx) => ksql`select private.enqueue_job('test.sneaky', '{}')`.execute(tx)),
    ).rejects.toMatchObject({ code: "42501" });
    await expect(enqueueJob(service, { kind: "Not A Kind", payload: {} })).rejects.toMatchObject({ code: "23514" });
  });
});

describe("running", () => {
  it("runs each job once when two workers claim at the same time", async () => {
    await t.admin`insert into jobs (kind, payload) select 'test.count', jsonb_build_object('n', g) from generate_series(1, 60) g`;
    const seen: number[] = [];
    const handler: JobHandler = async (j) => {
      seen.push((j.payload as { n: number }).n);
      await new Promise((r) => setTimeout(r, 5));
    };
    const [a, b] = await Promise.all([
      run({ "test.count": handler }, { concurrency: 4, batchSize: 5 }),
      run({ "test.count": handler }, { concurrency: 4, batchSize: 5 }),
    ]);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(a.claimed).toBeGreaterThan(0);
    expect(b.claimed).toBeGreaterThan(0);
    const rows = await t.admin`select status, attempts from jobs where kind = 'test.count'`;
    expect(rows.every((r) => r.status === "succeeded" && r.attempts === 1)).toBe(true);
    const [{ n }] = await t.admin`select count(*)::int as n from job_attempts a join jobs j on j.id = a.job_id
                                  where j.kind = 'test.count' and a.outcome = 'succeeded'`;
    expect(n).toBe(60);
  });

  it("retries a failure with backoff and jitter, records every attempt, and dead-letters after max_attempts", async () => {
    const id = await enqueueJob(service, { kind: "test.flaky", payload: {}, orgId: owner.orgId, maxAttempts: 3 });
    const fail: JobHandler = async (j) => {
      throw new Error(`provider said no (attempt ${j.attempt})`);
    };
    for (let attempt = 1; attempt <= 2; attempt++) {
      const before = Date.now();
      await run({ "test.flaky": fail });
      const after = Date.now();
      const row = await job(id);
      expect(row).toMatchObject({ status: "pending", attempts: attempt, last_error: `provider said no (attempt ${attempt})` });
      const wait = row.run_at.getTime();
      expect(wait).toBeGreaterThanOrEqual(before + 5_000 - 1);
      expect(wait).toBeLessThanOrEqual(after + maxDelayMs(attempt) + 1);
      await makeDue(id);
    }
    await run({ "test.flaky": fail });
    expect(await job(id)).toMatchObject({ status: "dead", attempts: 3, last_error: "provider said no (attempt 3)" });
    expect((await job(id)).finished_at).toBeInstanceOf(Date);
    const tries = await attempts(id);
    expect(tries.map((a) => [a.attempt, a.outcome, a.error])).toEqual([
      [1, "failed", "provider said no (attempt 1)"],
      [2, "failed", "provider said no (attempt 2)"],
      [3, "failed", "provider said no (attempt 3)"],
    ]);
    expect(tries.every((a) => a.finished_at >= a.started_at)).toBe(true);
  });

  it("spreads the retries of jobs that failed together", async () => {
    await t.admin`insert into jobs (kind, payload) select 'test.herd', '{}' from generate_series(1, 20)`;
    await t.admin`update jobs set attempts = 3 where kind = 'test.herd'`;
    await run({ "test.herd": async () => Promise.reject(new Error("down")) });
    const rows = await t.admin`select extract(epoch from run_at - now()) as s from jobs where kind = 'test.herd'`;
    const waits = rows.map((r) => Number(r.s));
    expect(new Set(waits.map((s) => Math.round(s))).size).toBeGreaterThan(5);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...waits)).toBeLessThanOrEqual(maxDelayMs(4) / 1000);
  });

  it("dead-letters a PermanentJobError at once, and an unknown kind with a clear error", async () => {
    const id = await enqueueJob(service, { kind: "test.permanent", payload: {}, orgId: owner.orgId });
    const unknown = await enqueueJob(service, { kind: "test.nobody-handles-this", payload: {} });
    let calls = 0;
    await run({
      "test.permanent": async () => {
        calls++;
        throw new PermanentJobError("the page token was revoked");
      },
    });
    expect(calls).toBe(1);
    expect(await job(id)).toMatchObject({ status: "dead", attempts: 1, last_error: "the page token was revoked" });
    expect(await job(unknown)).toMatchObject({ status: "dead", attempts: 1 });
    expect((await job(unknown)).last_error).toMatch(/^unknown_kind: no handler for "test.nobody-handles-this"/);
  });

  it("fails a handler that runs past its time and aborts its signal", async () => {
    const id = await enqueueJob(service, { kind: "test.slow", payload: {} });
    let aborted = false;
    await run(
      {
        "test.slow": (_, ctx) =>
          new Promise((resolve) => {
            ctx.signal.addEventListener("abort", () => {
              aborted = true;
              resolve();
            });
          }),
      },
      { timeoutMs: 200 },
    );
    expect(aborted).toBe(true);
    expect(await job(id)).toMatchObject({ status: "pending", attempts: 1, last_error: "timeout: the handler ran longer than 0.2 s" });
  });

  it("takes a job back from a worker that died once its lease runs out", async () => {
    const id = await enqueueJob(service, { kind: "test.orphan", payload: {}, maxAttempts: 2 });
    // A worker claims it and dies before reporting.
    await service`select * from private.claim_jobs(100, '1 hour')`;
    expect(await job(id)).toMatchObject({ status: "running", attempts: 1 });
    let ran = 0;
    const handler = { "test.orphan": async () => void ran++ };
    await run(handler);
    expect(ran).toBe(0);

    await t.admin`update jobs set locked_until = now() - interval '1 second' where id = ${String(id)}`;
    await run(handler);
    expect(ran).toBe(1);
    expect(await job(id)).toMatchObject({ status: "succeeded", attempts: 2 });
    expect((await attempts(id)).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, "lost"],
      [2, "succeeded"],
    ]);
    // A late report from the dead worker changes nothing.
    const [{ status }] = await service`select private.finish_job(${String(id)}, 1, false, 'late', null) as status`;
    expect(status).toBeNull();
    expect(await job(id)).toMatchObject({ status: "succeeded" });
  });

  it("dead-letters a job whose last attempt was lost", async () => {
    const id = await enqueueJob(service, { kind: "test.crasher", payload: {}, maxAttempts: 1 });
    await service`select * from private.claim_jobs(100, '1 hour')`;
    await t.admin`update jobs set locked_until = now() - interval '1 second' where id = ${String(id)}`;
    let ran = 0;
    await run({ "test.crasher": async () => void ran++ });
    expect(ran).toBe(0);
    expect(await job(id)).toMatchObject({ status: "dead", attempts: 1, last_error: "lease expired: the worker stopped without reporting" });
    expect((await attempts(id)).map((a) => a.outcome)).toEqual(["lost"]);
  });
});

describe("schedules", () => {
  it("queues a schedule's job once per due time, however many runners tick", async () => {
    await t.admin`insert into private.job_schedules (name, kind, payload, every, next_run_at)
                  values ('test.daily-check', 'test.scheduled', '{"scope":"all"}', '1 day', now() - interval '2 days 1 hour')`;
    const seen: unknown[] = [];
    const handler = { "test.scheduled": async (j: { payload: unknown }) => void seen.push(j.payload) };
    await Promise.all([run(handler), run(handler), run(handler)]);
    await run(handler);
    expect(seen).toEqual([{ scope: "all" }]);
    const [s] = await t.admin`select next_run_at > now() as ahead, next_run_at < now() + interval '1 day' as within
                              from private.job_schedules where name = 'test.daily-check'`;
    // Missed days are not made up: the next run is the next due time after now.
    expect(s).toEqual({ ahead: true, within: true });
    const rows = await t.admin`select idempotency_key, org_id from jobs where kind = 'test.scheduled'`;
    expect(rows).toHaveLength(1);
    expect(rows[0].idempotency_key).toMatch(/^schedule:test\.daily-check@\d{4}-\d\d-\d\dT/);
  });

  it("prunes succeeded and discarded jobs after a week with the built-in hourly jobs.prune, and keeps dead ones", async () => {
    const finished = async (kind: string, status: string, age: string) =>
      (await t.admin`insert into jobs (kind, payload, status, finished_at)
                     values (${kind}, '{}', ${status}, now() - ${age}::interval) returning id`)[0].id as string;
    const old = await finished("test.ancient", "succeeded", "8 days");
    const recent = await finished("test.recent", "succeeded", "6 days");
    const discarded = await finished("test.thrown-away", "discarded", "8 days");
    const dead = await finished("test.dead-long-ago", "dead", "400 days");
    await t.admin`insert into job_attempts (job_id, attempt, outcome) values (${old}, 1, 'succeeded'), (${dead}, 1, 'failed')`;
    expect(await t.admin`select every::text from private.job_schedules where name = 'jobs.prune'`).toEqual([{ every: "01:00:00" }]);
    await t.admin`update private.job_schedules set next_run_at = now() where name = 'jobs.prune'`;
    await run({});
    expect(await job(old)).toBeUndefined();
    expect(await attempts(old)).toHaveLength(0);
    expect(await job(discarded)).toBeUndefined();
    expect(await job(recent)).toBeDefined();
    // Dead jobs wait for an admin on the Jobs page, with their attempts.
    expect(await job(dead)).toMatchObject({ status: "dead" });
    expect(await attempts(dead)).toHaveLength(1);
    const [prune] = await t.admin`select status from jobs where kind = 'jobs.prune' order by id desc limit 1`;
    expect(prune.status).toBe("succeeded");
  });

  it("lets a jobs.prune payload keep finished jobs longer", async () => {
    const [{ id }] = await t.admin`insert into jobs (kind, payload, status, finished_at)
                                   values ('test.kept-a-month', '{}', 'succeeded', now() - interval '20 days') returning id`;
    await enqueueJob(service, { kind: "jobs.prune", payload: { keep_days: 30 } });
    await run({});
    expect(await job(id)).toBeDefined();
  });
});

describe("retry and discard", () => {
  const call = (user: TestUser, fn: "retry_job" | "discard_job", id: bigint | string) =>
    t.db.asUser(user.claims, (tx) => ksql<{ id: string }>`select public.${ksql.raw(fn)}(${String(id)}::bigint) as id`.execute(tx));

  it("lets an owner retry a dead job with a fresh round of attempts, and discard one", async () => {
    const id = await enqueueJob(service, { kind: "test.retryable", payload: {}, orgId: owner.orgId, maxAttempts: 1 });
    await run({ "test.retryable": async () => Promise.reject(new Error("first time fails")) });
    expect(await job(id)).toMatchObject({ status: "dead" });

    await call(owner, "retry_job", id);
    expect(await job(id)).toMatchObject({ status: "pending", attempts: 0, finished_at: null });
    await run({ "test.retryable": async () => {} });
    expect(await job(id)).toMatchObject({ status: "succeeded", attempts: 1 });
    expect((await attempts(id)).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, "failed"],
      [1, "succeeded"],
    ]);
    await expect(call(owner, "retry_job", id)).rejects.toMatchObject({ code: "P0001" });

    const other = await enqueueJob(service, { kind: "test.discardable", payload: {}, orgId: owner.orgId, runAt: new Date(Date.now() + 3600_000) });
    await call(owner, "discard_job", other);
    expect(await job(other)).toMatchObject({ status: "discarded" });
  });

  it("refuses members, other orgs and jobs of no org, and shows them none", async () => {
    const id = await enqueueJob(service, { kind: "test.guarded", payload: { email: "x@y.test" }, orgId: owner.orgId, maxAttempts: 1 });
    const orgless = await enqueueJob(service, { kind: "test.orgless", payload: {} });
    for (const user of [member, stranger]) {
      await expect(call(user, "retry_job", id)).rejects.toMatchObject({ code: "P0002" });
      await expect(call(user, "discard_job", id)).rejects.toMatchObject({ code: "P0002" });
      const seen = await t.db.asUser(user.claims, (tx) => tx.selectFrom("jobs").select("id").execute());
      expect(seen).toEqual([]);
    }
    await expect(call(owner, "discard_job", orgless)).rejects.toMatchObject({ code: "P0002" });
    const ownerSees = await t.db.asUser(owner.claims, (tx) => tx.selectFrom("jobs").select("id").where("id", "=", String(orgless)).execute());
    expect(ownerSees).toEqual([]);
    expect(await job(id)).toMatchObject({ status: "pending" });
  });

  it("answers Settings → Jobs' actions with refusals a person can act on", async () => {
    await expect(t.db.asUser(owner.claims, (tx) => retryJob(tx, { id: "12; drop table jobs" }))).rejects.toMatchObject({
      code: "validation_failed",
      details: { id: ["Not a job id"] },
    });
    await expect(t.db.asUser(owner.claims, (tx) => discardJob(tx, { id: "999999999" }))).rejects.toMatchObject({
      code: "not_found",
      message: "This job no longer exists.",
    });
    const id = await enqueueJob(service, { kind: "test.done", payload: {}, orgId: owner.orgId });
    await run({ "test.done": async () => {} });
    await expect(t.db.asUser(owner.claims, (tx) => retryJob(tx, { id: String(id) }))).rejects.toMatchObject({
      code: "validation_failed",
      message: "Only a dead or waiting job can be retried; this one is succeeded",
    });
  });
});

describe("Settings → Jobs' queries", () => {
  it("lists each view of the org's jobs with counts and attempts, without payloads", async () => {
    const org = await createUser(t, { orgName: "Views Co" });
    const dead = await enqueueJob(service, { kind: "test.view-dead", payload: { email: "secret@x.test" }, orgId: org.orgId, maxAttempts: 1 });
    const failing = await enqueueJob(service, { kind: "test.view-failing", payload: {}, orgId: org.orgId });
    const waiting = await enqueueJob(service, { kind: "test.view-waiting", payload: {}, orgId: org.orgId, runAt: new Date(Date.now() + 60_000) });
    await run({ "test.view-dead": async () => Promise.reject(new Error("no")), "test.view-failing": async () => Promise.reject(new Error("again")) });
    const seen = await t.db.asUser(org.claims, async (tx) => ({
      counts: await countJobs(tx),
      dead: await listJobs(tx, "dead"),
      failed: await listJobs(tx, "failed"),
      pending: await listJobs(tx, "pending"),
      tries: await listJobAttempts(tx, [String(dead)]),
    }));
    expect(seen.counts).toEqual({ failed: 1, dead: 1, pending: 1, running: 0, succeeded: 0 });
    expect(seen.dead.map((j) => j.id)).toEqual([String(dead)]);
    expect(seen.failed.map((j) => j.id)).toEqual([String(failing)]);
    expect(seen.pending.map((j) => j.id)).toEqual([String(waiting)]);
    expect(seen.dead[0]).not.toHaveProperty("payload");
    expect(seen.tries.map((a) => [a.attempt, a.outcome, a.error])).toEqual([[1, "failed", "no"]]);
  });
});
