// REST API throughput: `GET /api/v1/people?limit=50` with an API key on the
// 100k-people org (see _dataset.ts), from 50 concurrent clients against the
// production build, for a fixed time. Prints requests/s and latency, and the
// same page read by a bare SELECT over a connection pool, for the ratio of
// what the API layer (HTTP, key check, RLS transaction, JSON) costs.
//
// Also prints the health check's throughput over the same HTTP path: the
// framework's own per-request floor on this machine.
//
// Target: ≥ 1,000 requests/s with p95 < 50 ms on a 2-core machine. The load
// generator shares the machine with the app and Postgres, so the figure is a
// floor for what a separate client would see.
//
// Builds and starts the app on its own ports: run under the e2e lock
// (`flock /tmp/covey-e2e.lock npm run bench -- api`).
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { createDatabase, type Claims } from "../lib/db/index.ts";
import { LOCAL_ROLE_PASSWORDS } from "../lib/db/migrate.ts";
import { createApiKey } from "../modules/api/keys/service.ts";
import { startStack } from "../supabase/local/start.ts";
import { measured, prepareDataset, ORG_PEOPLE, ORGS, stats, TOTAL_PEOPLE } from "./_dataset.ts";

const PORTS = { appPort: 3400, apiPort: 54721, dbPort: 54732 };
const CLIENTS = Number(process.env.BENCH_API_CLIENTS ?? 50);
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 20);
const WARMUP_REQUESTS = Number(process.env.BENCH_WARMUP ?? 200);

/** `clients` loops calling `fn` until `seconds` pass; latencies of the successful calls. */
async function sustain(clients: number, seconds: number, fn: () => Promise<void>) {
  const ms: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          await fn();
          ms.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { requestsPerSecond: Math.round(ms.length / elapsed), errors, ...stats(ms) };
}

export default async function run(): Promise<Record<string, unknown>> {
  const log = (m: string) => console.log(m);
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-bench-api-"));
  chmodSync(dir, 0o755);
  const { loadSeconds } = await prepareDataset(dir, PORTS.dbPort, log);
  const stack = await startStack({ dataDir: dir, ...PORTS, seed: false, appStdio: "ignore", log: (l) => log(`[stack] ${l}`) });
  const admin = postgres(stack.adminDbUrl, { max: 1, onnotice: () => {} });
  const bare = postgres(stack.adminDbUrl, { max: 20, prepare: false, onnotice: () => {} });
  const db = createDatabase(`postgres://covey_app:${LOCAL_ROLE_PASSWORDS.covey_app}@127.0.0.1:${PORTS.dbPort}/postgres`, { max: 2 });
  try {
    const { me } = await measured(admin);
    const claims: Claims = { sub: me.user_id, email: me.email, role: "authenticated", aud: "authenticated" };
    const { token } = await db.asUser(claims, (tx) =>
      createApiKey(tx, { orgId: me.org_id, userId: me.user_id }, { name: "Benchmark", scopes: ["people:read"], rateLimitPerMinute: 1_000_000 }),
    );

    const url = `${stack.appUrl}/api/v1/people?limit=50`;
    const headers = { authorization: `Bearer ${token}` };
    const call = async () => {
      const res = await fetch(url, { headers });
      const body = (await res.json()) as { data?: unknown[] };
      if (res.status !== 200 || body.data?.length !== 50) throw new Error(`GET /api/v1/people: ${res.status}`);
    };
    await call();
    for (let i = 0; i < WARMUP_REQUESTS; i++) await call();

    log(`${CLIENTS} clients for ${SECONDS} s: GET /api/v1/people?limit=50 …`);
    const api = await sustain(CLIENTS, SECONDS, call);
    log(`  api   ${api.requestsPerSecond} req/s, p50 ${api.p50} p95 ${api.p95} p99 ${api.p99} ms, ${api.errors} errors`);

    // The framework's floor on this machine: the health check (one `select 1`) over the same HTTP path.
    const health = async () => {
      const res = await fetch(`${stack.appUrl}/api/health`);
      await res.text();
      if (res.status !== 200) throw new Error(`GET /api/health: ${res.status}`);
    };
    const floor = await sustain(CLIENTS, Math.min(SECONDS, 10), health);
    log(`  floor ${floor.requestsPerSecond} req/s for GET /api/health, p50 ${floor.p50} p95 ${floor.p95} ms`);

    // The same page as one plain query, no HTTP, no key, no RLS.
    const page = () =>
      bare`select * from people where org_id = ${me.org_id} and archived_at is null order by created_at desc, id desc limit 51`.then(
        (rows) => {
          if (rows.length !== 51) throw new Error("short page");
        },
      );
    const select = await sustain(CLIENTS, Math.min(SECONDS, 10), page);
    log(`  bare  ${select.requestsPerSecond} SELECT/s, p50 ${select.p50} p95 ${select.p95} ms`);

    const pass = api.requestsPerSecond >= 1000 && api.p95 < 50;
    const ratio = Math.round((api.requestsPerSecond / select.requestsPerSecond) * 1000) / 1000;
    log(`API ${api.requestsPerSecond} req/s at p95 ${api.p95} ms = ${ratio}× a bare SELECT; target ≥ 1000 req/s at p95 < 50 ms: ${pass ? "PASS" : "MISS"}`);
    const cpus = os.cpus();
    return {
      timestamp: new Date().toISOString(),
      machine: { cpus: cpus.length, cpuModel: cpus[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      dataset: { orgs: ORGS, people: TOTAL_PEOPLE + 1, orgPeople: ORG_PEOPLE + 1, loadSeconds },
      method: { clients: CLIENTS, seconds: SECONDS, warmupRequests: WARMUP_REQUESTS, request: "GET /api/v1/people?limit=50 with an API key, keep-alive, next start" },
      api,
      healthFloor: floor,
      bareSelect: select,
      ratioToBareSelect: ratio,
      target: { requestsPerSecond: 1000, p95Ms: 50 },
      pass,
    };
  } finally {
    await db.destroy().catch(() => {});
    await bare.end().catch(() => {});
    await admin.end().catch(() => {});
    await stack.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
