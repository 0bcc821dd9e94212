// Web form submissions through the endpoint's handler (modules/forms, the
// code `POST /f/{key}` runs, without the HTTP server in front): form look-up,
// rate limits, fill-time token, field checks, the lead's upsert and the
// submission log, each a real transaction on PostgreSQL.
//   - latency: one submission at a time, p50/p95;
//   - throughput: submissions per second sustained with CONCURRENCY in flight;
//   - floor: the same lead written by a bare INSERT, one transaction each,
//     at the same concurrency: what the database alone costs.
//
// Starts its own throwaway PostgreSQL in a temp dir.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { applyLocalPlatform, applyMigrations, LOCAL_ROLE_PASSWORDS } from "../lib/db/migrate.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { percentile, pool } from "./_stats.ts";

const PORT = Number(process.env.BENCH_PG_PORT_FORMS ?? 54398);
const LATENCY_SAMPLES = Number(process.env.BENCH_FORMS_SAMPLES ?? 300);
const THROUGHPUT_SUBMISSIONS = Number(process.env.BENCH_FORMS_SUBMISSIONS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_FORMS_CONCURRENCY ?? 16);

export default async function bench() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-bench-forms-"));
  chmodSync(dir, 0o755);
  const pg = await startLocalPostgres({ dir: path.join(dir, "pg"), port: PORT, persistent: false });
  const admin = postgres(pg.adminUrl(), { max: 2, onnotice: () => {} });
  try {
    await applyLocalPlatform(pg.adminUrl());
    await applyMigrations(pg.adminUrl());
    const appUrl = `postgres://covey_app:${LOCAL_ROLE_PASSWORDS.covey_app}@127.0.0.1:${PORT}/postgres`;
    process.env.DATABASE_URL = appUrl;
    process.env.LOG_LEVEL = "silent";
    const { receiveSubmission } = await import("../modules/forms/endpoint.ts");
    const { issueFillToken } = await import("../modules/forms/token.ts");
    const { database } = await import("../lib/db/index.ts");

    const [user] = await admin`
      insert into auth.users (email, encrypted_password, raw_user_meta_data, aud, role)
      values ('bench-forms@example.test', '', '{"org_name": "Forms Bench"}', 'authenticated', 'authenticated')
      returning id`;
    const [{ org_id: orgId }] = await admin`select org_id from org_members where user_id = ${user.id}`;
    const fields = [
      { name: "first_name", label: "First name", type: "text", required: true, maps_to: "first_name" },
      { name: "email", label: "Email", type: "email", required: true, maps_to: "email" },
      { name: "phone", label: "Phone", type: "tel", required: false, maps_to: "phone" },
      { name: "message", label: "Message", type: "textarea", required: false, maps_to: "message" },
    ];
    const [form] = await admin`
      insert into web_forms (org_id, name, fields, allowed_origins, min_fill_seconds, ip_rate_limit_per_minute, rate_limit_per_minute)
      values (${orgId}, 'Bench form', ${admin.json(fields)}, '{https://shop.example}', 0, 1000, 100000)
      returning key, secret`;
    const token = await issueFillToken(form.secret, form.key, Date.now() - 10_000);

    let n = 0;
    const submit = async () => {
      const i = n++;
      const res = await receiveSubmission(
        new Request(`http://localhost:3000/f/${form.key}`, {
          method: "POST",
          headers: { "content-type": "application/json", origin: "https://shop.example", "x-forwarded-for": `10.0.${i % 250}.${(i >> 8) % 250}` },
          body: JSON.stringify({ first_name: "Bench", email: `bench-${i}@example.test`, phone: "+14155550100", message: "Hello", _covey_t: token }),
        }),
        form.key,
      );
      if (res.status !== 200) throw new Error(`submission ${i}: ${res.status} ${await res.text()}`);
    };

    for (let i = 0; i < 20; i++) await submit();

    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const t0 = performance.now();
      await submit();
      latencies.push(performance.now() - t0);
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    console.log(`one submission: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${LATENCY_SAMPLES}`);

    const started = performance.now();
    await pool(THROUGHPUT_SUBMISSIONS, CONCURRENCY, submit);
    const perSecond = THROUGHPUT_SUBMISSIONS / ((performance.now() - started) / 1000);
    console.log(`sustained: ${THROUGHPUT_SUBMISSIONS} submissions, ${CONCURRENCY} in flight = ${perSecond.toFixed(0)}/s`);

    // The floor: the same lead row, one bare INSERT per transaction.
    let f = 0;
    const insertLead = () =>
      database().asService(async (tx) => {
        const i = f++;
        await tx
          .insertInto("leads")
          .values({ org_id: orgId, source: "web_form", first_name: "Floor", email: `floor-${i}@example.test`, phone: "+14155550100", message: "Hello" })
          .execute();
      });
    const floorLatencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const t0 = performance.now();
      await insertLead();
      floorLatencies.push(performance.now() - t0);
    }
    const floorP95 = percentile(floorLatencies, 95);
    const floorStarted = performance.now();
    await pool(THROUGHPUT_SUBMISSIONS, CONCURRENCY, insertLead);
    const floorPerSecond = THROUGHPUT_SUBMISSIONS / ((performance.now() - floorStarted) / 1000);
    console.log(`floor (bare lead insert): p95 ${floorP95.toFixed(1)} ms, ${floorPerSecond.toFixed(0)}/s`);

    const [counts] = await admin`select count(*) filter (where outcome = 'accepted')::int as accepted, count(*)::int as total from web_form_submissions`;
    await database().destroy();
    return {
      submissionP50Ms: Number(p50.toFixed(1)),
      submissionP95Ms: Number(p95.toFixed(1)),
      submissionsPerSecond: Math.round(perSecond),
      concurrency: CONCURRENCY,
      floorInsertP95Ms: Number(floorP95.toFixed(1)),
      floorInsertsPerSecond: Math.round(floorPerSecond),
      acceptedSubmissions: counts.accepted,
      totalSubmissions: counts.total,
    };
  } finally {
    await admin.end();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
