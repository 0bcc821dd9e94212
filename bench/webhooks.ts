// Outbound webhooks, the way the embedded runtime runs them: the
// webhook-dispatch Edge Function under Deno, nudged by LISTEN covey_webhooks,
// delivering to a local receiver that checks every signature.
//   - latency: commit of a change → first delivery attempt arriving (p50/p95;
//     target p95 < 1 s), one change at a time;
//   - throughput: one statement creating many records → all deliveries
//     received, in deliveries per second (target ≥ 1,000/s).
//
// Starts its own throwaway PostgreSQL in a temp dir.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { Webhook } from "standardwebhooks";
import { applyLocalPlatform, applyMigrations, LOCAL_ROLE_PASSWORDS } from "../lib/db/migrate.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { startWebhookScheduler } from "../supabase/local/webhooks.ts";
import { percentile } from "./_stats.ts";

const PORT = Number(process.env.BENCH_PG_PORT_WEBHOOKS ?? 54397);
const LATENCY_SAMPLES = Number(process.env.BENCH_WEBHOOK_SAMPLES ?? 200);
const THROUGHPUT_DELIVERIES = Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 20_000);
const TARGET_P95_MS = 1000;
const TARGET_PER_SECOND = 1000;

export default async function bench() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-bench-webhooks-"));
  chmodSync(dir, 0o755);
  const pg = await startLocalPostgres({ dir: path.join(dir, "pg"), port: PORT, persistent: false });
  const admin = postgres(pg.adminUrl(), { max: 2, onnotice: () => {} });
  let scheduler: Awaited<ReturnType<typeof startWebhookScheduler>> | undefined;
  const arrivals = new Map<string, number>();
  let verified = 0;
  let secret = "";
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString("utf8");
      new Webhook(secret).verify(body, {
        "webhook-id": String(req.headers["webhook-id"]),
        "webhook-timestamp": String(req.headers["webhook-timestamp"]),
        "webhook-signature": String(req.headers["webhook-signature"]),
      });
      verified++;
      const data = (JSON.parse(body) as { data: { id: string } }).data;
      if (!arrivals.has(data.id)) arrivals.set(data.id, at);
      res.writeHead(204).end();
    });
  });
  try {
    await applyLocalPlatform(pg.adminUrl());
    await applyMigrations(pg.adminUrl());
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

    const [user] = await admin`
      insert into auth.users (email, encrypted_password, raw_user_meta_data, aud, role)
      values ('bench-webhooks@example.test', '', '{"org_name": "Webhook Bench"}', 'authenticated', 'authenticated')
      returning id`;
    const [{ org_id: orgId }] = await admin`select org_id from org_members where user_id = ${user.id}`;
    const [ep] = await admin`insert into webhook_endpoints (org_id, url, event_types)
                             values (${orgId}, ${receiverUrl}, '{person.*}') returning secret`;
    secret = ep.secret;

    const appUrl = `postgres://covey_app:${LOCAL_ROLE_PASSWORDS.covey_app}@127.0.0.1:${PORT}/postgres`;
    scheduler = await startWebhookScheduler({ databaseUrl: appUrl, log: (l) => console.log(`  [webhooks] ${l}`) });
    const app = postgres(appUrl, { max: 2, prepare: false, onnotice: () => {} });
    const claims = JSON.stringify({ sub: user.id, role: "authenticated" });

    // Warm the function (module load, first connections).
    await admin`insert into people (org_id, first_name) values (${orgId}, 'Warm-up')`;
    while (verified < 1) await new Promise((r) => setTimeout(r, 20));

    // Latency: a change commits, its delivery arrives.
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      let id = "";
      const committedAt = await app.begin(async (tx) => {
        await tx`select set_config('request.jwt.claims', ${claims}, true), set_config('role', 'authenticated', true)`;
        [{ id }] = await tx`insert into people (org_id, first_name, last_name) values (${orgId}, 'Latency', ${String(i)}) returning id`;
      }).then(() => performance.now());
      while (!arrivals.has(id)) await new Promise((r) => setTimeout(r, 1));
      latencies.push(arrivals.get(id)! - committedAt);
      await new Promise((r) => setTimeout(r, 10));
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    console.log(`commit → first attempt: p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms (target p95 < ${TARGET_P95_MS} ms) over ${LATENCY_SAMPLES} changes`);

    // Throughput: one import-sized statement, every delivery received.
    const before = verified;
    const started = performance.now();
    await admin`insert into people (org_id, first_name, last_name)
                select ${orgId}, 'Bulk', g::text from generate_series(1, ${THROUGHPUT_DELIVERIES}) g`;
    const committed = performance.now();
    while (verified - before < THROUGHPUT_DELIVERIES) {
      await new Promise((r) => setTimeout(r, 20));
      if (performance.now() - committed > 300_000) throw new Error(`only ${verified - before} deliveries in 5 minutes`);
    }
    const seconds = (performance.now() - committed) / 1000;
    const perSecond = THROUGHPUT_DELIVERIES / seconds;
    const [failed] = await admin`select count(*)::int as n from webhook_attempts where status_code is distinct from 204`;
    console.log(
      `deliveries: ${THROUGHPUT_DELIVERIES} in ${seconds.toFixed(1)} s after the commit (insert took ${((committed - started) / 1000).toFixed(1)} s) = ${perSecond.toFixed(0)}/s (target ≥ ${TARGET_PER_SECOND}/s), failed attempts: ${failed.n}`,
    );
    await app.end();
    return {
      latencyP50Ms: Math.round(p50),
      latencyP95Ms: Math.round(p95),
      latencyTargetP95Ms: TARGET_P95_MS,
      latencyMet: p95 < TARGET_P95_MS,
      deliveries: THROUGHPUT_DELIVERIES,
      deliveriesPerSecond: Math.round(perSecond),
      deliveriesTargetPerSecond: TARGET_PER_SECOND,
      throughputMet: perSecond >= TARGET_PER_SECOND,
      failedAttempts: failed.n,
    };
  } finally {
    await scheduler?.close();
    receiver.closeAllConnections();
    receiver.close();
    await admin.end();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
