// Reports at the sales demo size, measured through the data layer under RLS
// as the report page and its CSV run them (runReport in one transaction as
// the signed-in owner), without the page around them.
//
// Data: the scale data set (bench/_dataset.ts: 50,000 deals in the measured
// org's Sales pipeline among 100 orgs), with what reports read and the load
// leaves out: the deals' creation and closing spread over the past year,
// their stage history (each deal entered the first stage when created and
// its current stage days later), and 50,000 leads over the same year from
// four sources, a fifth of them converted to those deals, attributed to ten
// Meta campaigns with a year of daily spend.
//
// Measured (sequential, p50/p95/p99 ms): every report over the last 90 days
// by week and over the last year by month.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createDatabase, type Claims } from "../lib/db/index.ts";
import { LOCAL_ROLE_PASSWORDS } from "../lib/db/migrate.ts";
import { REPORTS } from "../modules/reports/registry.ts";
import { runReport } from "../modules/reports/service.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { measured, prepareDataset } from "./_dataset.ts";
import { stats } from "./_stats.ts";

const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const PORT = 54642;
const LEADS = 50_000;
const CAMPAIGNS = 10;
/** A report page should draw well within this. */
const TARGET_P95_MS = 500;

async function addReportData(admin: postgres.Sql, orgId: string, pipelineId: string, log: (m: string) => void) {
  const t0 = performance.now();
  await admin.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`update deals set created_at = now() - ((id_hash % 365) * interval '1 day'),
                              closed_at = case when status <> 'open' then now() - ((id_hash % 365) * interval '1 day') + interval '20 days' end
             from (select id as deal_id, abs(hashtext(id::text)) as id_hash from deals where org_id = ${orgId}) h
             where deals.id = h.deal_id`;
    const [first] = await tx`select id from pipeline_stages where pipeline_id = ${pipelineId} order by position limit 1`;
    await tx`insert into deal_stage_history (org_id, deal_id, to_stage_id, to_status, changed_at)
             select org_id, id, ${first.id}, 'open', created_at from deals where org_id = ${orgId}`;
    await tx`insert into deal_stage_history (org_id, deal_id, from_stage_id, to_stage_id, to_status, changed_at)
             select org_id, id, ${first.id}, stage_id, status, created_at + (1 + abs(hashtext(name)) % 20) * interval '1 day'
             from deals where org_id = ${orgId} and stage_id <> ${first.id}`;
    await tx`with d as (select id, row_number() over (order by id) as n from deals where org_id = ${orgId})
             insert into leads (org_id, first_name, email, source, status, deal_id, attribution, created_at)
             select ${orgId}, 'Lead ' || i, 'bench.lead.' || i || '@example.test',
                    (array['meta', 'web_form', 'manual', 'api'])[1 + i % 4],
                    (array['new', 'qualified', 'won', 'lost'])[1 + (i / 4) % 4],
                    case when i % 5 = 0 then d.id end,
                    case when i % 4 = 0 then jsonb_build_object('campaign_id', (1000 + i % ${CAMPAIGNS})::text) else '{}'::jsonb end,
                    now() - ((i % 365) * interval '1 day')
             from generate_series(1, ${LEADS}) i
             left join d on i % 5 = 0 and d.n = 1 + (i / 5) % (select count(*) from d)`;
    const [secret] = await tx`insert into org_secrets (org_id, purpose, secret, key_id) values (${orgId}, 'meta.ads_token:act_42', 'v1.bench.a.b.c.d', 'bench') returning id`;
    const [account] = await tx`insert into meta_ad_accounts (org_id, account_id, name, currency, time_zone, token_secret_id)
                               values (${orgId}, 'act_42', 'Bench ads', 'USD', 'UTC', ${secret.id}) returning id`;
    await tx`insert into meta_ad_spend (org_id, ad_account_id, campaign_id, campaign_name, date, spend)
             select ${orgId}, ${account.id}, (1000 + c)::text, 'Campaign ' || c, current_date - d, 10 + (c * d) % 90
             from generate_series(0, ${CAMPAIGNS - 1}) c, generate_series(0, 364) d`;
  });
  await admin.unsafe("vacuum (analyze) deals, deal_stage_history, leads, meta_ad_spend");
  log(`added a year of deal history, ${LEADS} leads and ${CAMPAIGNS} campaigns' spend in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

export default async function run(): Promise<Record<string, unknown>> {
  const log = (m: string) => console.log(m);
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-bench-reports-"));
  chmodSync(dir, 0o755);
  const { loadSeconds } = await prepareDataset(dir, PORT, log);
  const pg = await startLocalPostgres({ dir: path.join(dir, "pg"), port: PORT, persistent: true });
  const admin = postgres(pg.adminUrl(), { max: 1, onnotice: () => {} });
  const db = createDatabase(`postgres://covey_app:${LOCAL_ROLE_PASSWORDS.covey_app}@127.0.0.1:${PORT}/postgres`, { max: 2 });
  try {
    const { me, pipelineId } = await measured(admin);
    await addReportData(admin, me.org_id, pipelineId, log);
    const claims: Claims = { sub: me.user_id, email: me.email, role: "authenticated", aud: "authenticated" };
    const results: Record<string, unknown> = { loadSeconds };
    for (const [range, query] of [
      ["90 days by week", `range=90d&by=week&pipeline=${pipelineId}`],
      ["a year by month", `from=${dayBack(364)}&to=${dayBack(0)}&by=month&pipeline=${pipelineId}`],
    ] as const) {
      for (const report of REPORTS) {
        const once = () => db.asUser(claims, (tx) => runReport(tx, report.slug, new URLSearchParams(query), "UTC"));
        for (let i = 0; i < WARMUP; i++) await once();
        const ms: number[] = [];
        let rows = 0;
        for (let i = 0; i < ITERATIONS; i++) {
          const t0 = performance.now();
          rows = (await once()).result.rows.length;
          ms.push(performance.now() - t0);
        }
        const s = stats(ms);
        const name = `${report.slug}, ${range}`;
        results[name] = { ...s, rows, targetP95: TARGET_P95_MS, pass: s.p95 < TARGET_P95_MS };
        log(`${name.padEnd(36)} p50 ${s.p50} p95 ${s.p95} p99 ${s.p99} ms (${rows} rows)   target p95 < ${TARGET_P95_MS}: ${s.p95 < TARGET_P95_MS ? "PASS" : "MISS"}`);
      }
    }
    return results;
  } finally {
    await db.destroy();
    await admin.end();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function dayBack(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
