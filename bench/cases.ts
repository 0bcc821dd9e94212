// Cases at scale, in the data layer (the SQL the cases list page and "New
// case" run, as the signed-in member under RLS), beside their floors.
//
// Data: one org with 50,000 cases on a numbered, one-person-per-case
// pipeline, each with its own person (so the org has 50,000 people), loaded
// with triggers off (session_replication_role), numbers 1..50,000 and the
// org's counter row set as the trigger would have left them.
//
// Measured (sequential, p50/p95/p99 ms):
//   - casesList: the cases list page's query (its fields, the pipeline
//     filter, newest first, 50 rows and the total), as the member
//   - casesListByNumber: the same list searched by a number typed with its zeros
//   - peopleList: the people list page's query (50 rows and the total), as the member
//   - casesListFloor: the same cases page as one hand-written query, as the
//     superuser (no RLS, no list engine): the least the page can cost
//   - handoffQueue, handoffBadge: the handoff queue page and the navigation's
//     count with every case in Pending handoff waiting (a seventh of them),
//     beside handoffQueueFloor, the same rows and count hand-written
// And number allocation under concurrency: CONNECTIONS connections each
// inserting deals one per transaction as the member, on the numbered
// pipeline and, for the floor, on a pipeline that is not numbered.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createDatabase, type Claims, type Database } from "../lib/db/index.ts";
import { applyLocalPlatform, applyMigrations, LOCAL_ROLE_PASSWORDS } from "../lib/db/migrate.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { stats } from "./_stats.ts";

const CASES = Number(process.env.BENCH_CASES ?? 50_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 10);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 100);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const INSERTS = Number(process.env.BENCH_INSERTS ?? 2_000);
const PORT = 54641;

async function timeIt(fn: () => Promise<unknown>) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return stats(ms);
}

export default async function run(): Promise<Record<string, unknown>> {
  const log = (m: string) => console.log(m);
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-bench-cases-"));
  chmodSync(dir, 0o755);
  const pg = await startLocalPostgres({ dir: path.join(dir, "pg"), port: PORT, persistent: false });
  const admin = postgres(pg.adminUrl(), { max: 1, onnotice: () => {} });
  let db: Database | undefined;
  try {
    await applyLocalPlatform(pg.adminUrl());
    await applyMigrations(pg.adminUrl());
    const t0 = performance.now();
    const [user] = await admin`
      insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
      values ('bench-cases@example.test', '', now(), '{"org_name": "Bench agency", "full_name": "Bench Owner"}', 'authenticated', 'authenticated')
      returning id, email`;
    const [{ org_id: org }] = await admin`select org_id from org_members where user_id = ${user.id}`;
    const [cases] = await admin`insert into pipelines (org_id, name, position, numbered, person_required, noun_singular, noun_plural)
      values (${org}, 'Cases', 1, true, true, 'Case', 'Cases') returning id`;
    const stages = await admin`insert into pipeline_stages (org_id, pipeline_id, name, position)
      select ${org}, ${cases.id}, s, i from unnest(array['New', 'Contacted', 'Qualified', 'Applied', 'Under review', 'Approved', 'Pending handoff', 'Pending match']) with ordinality t(s, i)
      returning id`;
    // Pending handoff hands off to Pending match (deny: Under review), as the surrogacy template's does.
    await admin`update pipeline_stages set handoff_accept_stage_id = ${stages[7].id}, handoff_deny_stage_id = ${stages[4].id} where id = ${stages[6].id}`;
    const [plain] = await admin`select p.id, s.id as stage_id from pipelines p join pipeline_stages s on s.pipeline_id = p.id
      where p.org_id = ${org} and p.name = 'Sales' order by s.position limit 1`;
    await admin.begin(async (tx) => {
      await tx`set local session_replication_role = replica`;
      await tx`
        insert into people (org_id, first_name, last_name, email, phone, state, country, owner_id, created_at)
        select ${org}, 'Case', 'Person ' || i, format('case-%s@example.test', i), '+1512555' || lpad((i % 10000)::text, 4, '0'),
               (array['TX', 'CA', 'FL', 'NY', 'OH'])[1 + i % 5], 'US', ${user.id}, now() - (i % 900) * interval '1 hour'
        from generate_series(1, ${CASES}) i`;
      await tx`
        insert into deals (org_id, name, pipeline_id, stage_id, currency, value_minor, owner_id, person_id, number, priority, created_at)
        select ${org}, p.first_name || ' ' || p.last_name, ${cases.id}, (${stages.slice(0, 7).map((s) => s.id)}::uuid[])[1 + n % 7], 'USD',
               (n % 200) * 100000, ${user.id}, p.id, n, n % 50 = 0, p.created_at
        from (select id, first_name, last_name, created_at, row_number() over (order by created_at, id) as n from people where org_id = ${org}) p`;
      await tx`insert into private.deal_number_counters (org_id, last) values (${org}, ${CASES})`;
      // Every case in Pending handoff waits in the queue (a seventh of them: a queue far longer than any agency's).
      await tx`
        insert into deal_handoffs (org_id, deal_id, stage_id, from_stage_id, submitted_by, submitted_at)
        select ${org}, d.id, d.stage_id, ${stages[5].id}, ${user.id}, d.created_at + interval '1 day'
        from deals d where d.org_id = ${org} and d.stage_id = ${stages[6].id}`;
    });
    await admin`analyze`;
    const loadSeconds = Number(((performance.now() - t0) / 1000).toFixed(1));
    log(`loaded ${CASES} cases and people in ${loadSeconds} s`);

    db = createDatabase(`postgres://covey_app:${LOCAL_ROLE_PASSWORDS.covey_app}@127.0.0.1:${PORT}/postgres`, { max: CONNECTIONS });
    const claims: Claims = { sub: user.id, email: user.email, role: "authenticated", aud: "authenticated" };
    const { dealListFields, listDeals } = await import("../modules/crm/deals/queries.ts");
    const { listPeople } = await import("../modules/crm/people/queries.ts");
    const { parseListState } = await import("../modules/crm/lists/state.ts");
    const stateOf = (q: string) => parseListState(new URLSearchParams(q)).state;

    const results: Record<string, unknown> = {};
    const report = (name: string, how: string, s: ReturnType<typeof stats>) => {
      results[name] = { how, ...s };
      log(`${name.padEnd(20)} p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} ms   [${how}]`);
    };

    const casesPage = stateOf(`f=pipeline:eq:${cases.id}`);
    const casesList = () =>
      db!.asUser(claims, async (tx) => listDeals(tx, casesPage, { fields: await dealListFields(tx), userId: user.id, pageSize: 50, withTotal: true }));
    const first = await casesList();
    if (first.rows.length !== 50 || !first.total || first.total < Math.min(CASES, 1000)) throw new Error(`cases list: ${first.rows.length} rows of ${first.total}`);
    report("casesList", "listDeals (pipeline filter, newest first, 50 rows + total) as the member under RLS", await timeIt(casesList));

    const byNumber = stateOf(`f=pipeline:eq:${cases.id}&q=04242`);
    const numberSearch = () =>
      db!.asUser(claims, async (tx) => listDeals(tx, byNumber, { fields: await dealListFields(tx), userId: user.id, pageSize: 50, withTotal: true }));
    if ((await numberSearch()).rows[0]?.number !== "04242") throw new Error("number search missed case 04242");
    report("casesListByNumber", "the cases list searched for 04242, as the member", await timeIt(numberSearch));

    const peoplePage = stateOf("");
    report("peopleList", "listPeople (newest first, 50 rows + total) as the member under RLS",
      await timeIt(() => db!.asUser(claims, (tx) => listPeople(tx, peoplePage, { userId: user.id, pageSize: 50, withTotal: true }))));

    report("casesListFloor", "one hand-written query for the same page and total, superuser, no RLS",
      await timeIt(async () => {
        await admin`
          select d.id, lpad(d.number::text, 5, '0') as number, d.name, d.priority, pe.email, pe.phone, pe.state, d.stage_id, d.owner_id,
                 d.value_minor, d.currency, d.created_at
          from deals d join people pe on pe.id = d.person_id
          where d.org_id = ${org} and d.pipeline_id = ${cases.id} and d.archived_at is null
          order by d.created_at desc, d.id desc limit 51`;
        await admin`select count(*) from deals d where d.org_id = ${org} and d.pipeline_id = ${cases.id} and d.archived_at is null`;
      }));

    const { countHandoffsToDecide, listHandoffQueue } = await import("../modules/crm/handoffs/index.ts");
    const waiting = await db.asUser(claims, (tx) => countHandoffsToDecide(tx));
    if (waiting < CASES / 8) throw new Error(`handoff queue: ${waiting} waiting`);
    report("handoffQueue", `the handoff queue page (its first 500 of ${waiting} waiting, oldest first) as the member`,
      await timeIt(() => db!.asUser(claims, (tx) => listHandoffQueue(tx, { pipelineId: cases.id }))));
    report("handoffBadge", "the navigation's count of handoffs the member may decide (every page asks it)",
      await timeIt(() => db!.asUser(claims, (tx) => countHandoffsToDecide(tx))));
    report("handoffQueueFloor", "the same 500 rows and count as hand-written queries, superuser, no RLS",
      await timeIt(async () => {
        await admin`
          select h.id, h.deal_id, d.name, pe.first_name, pe.last_name, d.value_minor, d.currency, h.submitted_at
          from deal_handoffs h join deals d on d.id = h.deal_id left join people pe on pe.id = d.person_id
          where h.org_id = ${org} and h.decision is null and d.pipeline_id = ${cases.id} and d.archived_at is null
          order by h.submitted_at, h.id limit 500`;
        await admin`select count(*) from deal_handoffs h join deals d on d.id = h.deal_id
          where h.org_id = ${org} and h.decision is null and d.archived_at is null`;
      }));

    // Allocation: every connection inserts deals one per transaction, as "New case" does.
    const insertAll = async (pipelineId: string, stageId: string) => {
      let next = 0;
      const ms: number[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (next < INSERTS) {
            const i = next++;
            const t = performance.now();
            await db!.asUser(claims, (tx) =>
              tx.insertInto("deals").values({ org_id: org, name: `Insert ${i}`, pipeline_id: pipelineId, stage_id: stageId, currency: "USD" }).execute(),
            );
            ms.push(performance.now() - t);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return { perSecond: Math.round(INSERTS / seconds), ...stats(ms) };
    };
    const floor = await insertAll(plain.id, plain.stage_id);
    const numbered = await insertAll(cases.id, stages[0].id);
    const [{ last, max, n }] = await admin`
      select c.last, (select max(number) from deals where org_id = ${org}) as max, (select count(distinct number) from deals where org_id = ${org}) as n
      from private.deal_number_counters c where c.org_id = ${org}`;
    if (Number(last) !== CASES + INSERTS || Number(max) !== CASES + INSERTS || Number(n) !== CASES + INSERTS) {
      throw new Error(`numbers after the inserts: counter ${last}, max ${max}, distinct ${n}`);
    }
    results.allocation = { how: `${INSERTS} inserts, one per transaction, over ${CONNECTIONS} connections as the member`, numbered, floor };
    log(`allocation: numbered ${numbered.perSecond}/s (p95 ${numbered.p95} ms), not numbered ${floor.perSecond}/s (p95 ${floor.p95} ms); numbers ${CASES + 1}..${last}, none repeated or skipped`);

    const cpus = os.cpus();
    return {
      timestamp: new Date().toISOString(),
      machine: { cpus: cpus.length, cpuModel: cpus[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      dataset: { cases: CASES, people: CASES, loadSeconds },
      method: { warmup: WARMUP, iterations: ITERATIONS, order: "sequential", transport: "the data layer (postgres.js + Kysely) over TCP" },
      ...results,
    };
  } finally {
    await db?.destroy().catch(() => {});
    await admin.end().catch(() => {});
    await pg.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
