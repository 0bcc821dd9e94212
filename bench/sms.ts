// Inbound SMS, from Twilio's signed webhook to the timeline row committed:
// the twilio-sms handler (org by number, auth token opened, X-Twilio-Signature
// checked, raw text stored, job queued, TwiML answered) and the sms.receive
// job (sender matched, message, timeline item, notification and sms.received
// in one statement), each on real PostgreSQL, in this process (no Deno, no
// HTTP server, no queue nudge in between: those are the meta bench's figures).
//   - latency: one text at a time, webhook then the queue run, until its
//     timeline row is committed; p50/p95 (goal p95 < 100 ms);
//   - throughput: texts per second sustained with CONCURRENCY webhooks in
//     flight and two queue runners draining them;
//   - floor: one bare INSERT of a message-shaped row per transaction, at the
//     same concurrency: what the database alone costs.
//
// Starts its own throwaway PostgreSQL in a temp dir.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { applyLocalPlatform, applyMigrations, LOCAL_ROLE_PASSWORDS } from "../lib/db/migrate.ts";
import { generateKeySpec, parseKeyring, sealSecret } from "../lib/crypto/envelope.ts";
import { runJobs } from "../modules/jobs/edge.ts";
import { handleTwilioSmsWebhook, RECEIVE_SMS_JOB, receiveSms } from "../modules/sms/edge.ts";
import { signTwilioRequest } from "../modules/twilio/edge.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { percentile, pool } from "./_stats.ts";

const PORT = Number(process.env.BENCH_PG_PORT_SMS ?? 54395);
const LATENCY_SAMPLES = Number(process.env.BENCH_SMS_SAMPLES ?? 200);
const THROUGHPUT_TEXTS = Number(process.env.BENCH_SMS_TEXTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_SMS_CONCURRENCY ?? 16);
const ACCOUNT = { sid: `AC${"b".repeat(32)}`, token: "c".repeat(32) };
const NUMBER = "+15125550100";
const URL_BASE = "https://covey.example.com/functions/v1";

export default async function bench() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-bench-sms-"));
  chmodSync(dir, 0o755);
  const pg = await startLocalPostgres({ dir: path.join(dir, "pg"), port: PORT, persistent: false });
  const admin = postgres(pg.adminUrl(), { max: 2, onnotice: () => {} });
  const service = postgres(`postgres://covey_app:${LOCAL_ROLE_PASSWORDS.covey_app}@127.0.0.1:${PORT}/postgres`, {
    max: CONCURRENCY + 4,
    prepare: false,
    onnotice: () => {},
    connection: { role: "service_role" },
  });
  try {
    await applyLocalPlatform(pg.adminUrl());
    await applyMigrations(pg.adminUrl());
    const keys = generateKeySpec("k1");
    const keyring = parseKeyring(keys);
    const [user] = await admin`
      insert into auth.users (email, encrypted_password, raw_user_meta_data, aud, role)
      values ('bench-sms@example.test', '', '{"org_name": "SMS Bench"}', 'authenticated', 'authenticated')
      returning id`;
    const [{ org_id: orgId }] = await admin`select org_id from org_members where user_id = ${user.id}`;
    const sealed = await sealSecret(await keyring, ACCOUNT.token, { orgId, purpose: "twilio.auth_token" });
    const [secret] = await admin`insert into org_secrets (org_id, purpose, secret, key_id, hint)
                                 values (${orgId}, 'twilio.auth_token', ${sealed}, 'k1', 'cccc') returning id`;
    await admin`insert into twilio_accounts (org_id, account_sid, auth_token_secret_id) values (${orgId}, ${ACCOUNT.sid}, ${secret.id})`;
    await admin`insert into phones (org_id, number, default_owner_id) values (${orgId}, ${NUMBER}, ${user.id})`;
    // Senders are people of the org, as most texts to a number are.
    await admin`insert into people (org_id, first_name, phone, owner_id)
                select ${orgId}, 'Texter ' || i, '+1415' || lpad(i::text, 7, '0'), ${user.id} from generate_series(1, 500) i`;

    const deps = { sql: service, keyring: () => keyring, webhookBaseUrl: URL_BASE };
    const env = (name: string) => (name === "COVEY_SECRET_KEYS" ? keys : "");
    let n = 0;
    const webhook = async () => {
      const i = n++;
      const sid = `SM${i.toString(16).padStart(32, "0")}`;
      const params: Record<string, string> = {
        MessageSid: sid,
        SmsSid: sid,
        AccountSid: ACCOUNT.sid,
        From: `+1415${String(1 + (i % 500)).padStart(7, "0")}`,
        To: NUMBER,
        Body: `Bench text ${i}`,
        NumMedia: "0",
        NumSegments: "1",
        SmsStatus: "received",
        ApiVersion: "2010-04-01",
      };
      const res = await handleTwilioSmsWebhook(
        new Request(`${URL_BASE}/twilio-sms`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signTwilioRequest(ACCOUNT.token, `${URL_BASE}/twilio-sms`, params) },
          body: new URLSearchParams(params).toString(),
        }),
        deps,
      );
      if (res.status !== 200) throw new Error(`text ${i}: ${res.status} ${await res.text()}`);
      return sid;
    };
    const drain = () => runJobs(service, { [RECEIVE_SMS_JOB]: receiveSms }, { env, fetch, concurrency: 10 });

    for (let i = 0; i < 20; i++) {
      await webhook();
      await drain();
    }

    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const t0 = performance.now();
      const sid = await webhook();
      await drain();
      const [row] = await admin`select 1 from timeline_events e join sms_messages m on m.id = (e.data->>'sms_id')::uuid
                                where m.provider_sid = ${sid} and e.kind = 'sms_received'`;
      if (!row) throw new Error(`text ${sid} has no timeline row`);
      latencies.push(performance.now() - t0);
    }
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    console.log(`webhook → timeline row: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${LATENCY_SAMPLES} (goal p95 < 100 ms)`);

    const before = n;
    const started = performance.now();
    let webhooksDone = false;
    const runners = Array.from({ length: 2 }, async () => {
      for (;;) {
        const s = await drain();
        if (s.claimed === 0 && webhooksDone) return;
        if (s.claimed === 0) await new Promise((r) => setTimeout(r, 5));
      }
    });
    await pool(THROUGHPUT_TEXTS, CONCURRENCY, async () => {
      await webhook();
    });
    webhooksDone = true;
    await Promise.all(runners);
    await drain();
    const elapsed = (performance.now() - started) / 1000;
    const [landed] = await admin`select count(*)::int as n from sms_messages where provider_sid >= ${`SM${before.toString(16).padStart(32, "0")}`}`;
    const perSecond = landed.n / elapsed;
    console.log(`sustained: ${landed.n} of ${THROUGHPUT_TEXTS} texts on their timeline, ${CONCURRENCY} webhooks in flight, 2 queue runners = ${perSecond.toFixed(0)}/s`);

    // The floor: a message-shaped row, one bare INSERT per transaction.
    await admin`create table public.bench_sms_floor (id bigint generated always as identity primary key, org_id uuid not null,
                 contact_number text not null, body text not null, created_at timestamptz not null default now())`;
    await admin`grant insert on public.bench_sms_floor to service_role`;
    let f = 0;
    const insertFloor = async () => {
      const i = f++;
      await service.begin((tx) => tx`insert into public.bench_sms_floor (org_id, contact_number, body) values (${orgId}, '+14155550100', ${`Floor ${i}`})`);
    };
    const floorLatencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const t0 = performance.now();
      await insertFloor();
      floorLatencies.push(performance.now() - t0);
    }
    const floorP95 = percentile(floorLatencies, 95);
    const floorStarted = performance.now();
    await pool(THROUGHPUT_TEXTS, CONCURRENCY, insertFloor);
    const floorPerSecond = THROUGHPUT_TEXTS / ((performance.now() - floorStarted) / 1000);
    console.log(`floor (bare insert): p95 ${floorP95.toFixed(1)} ms, ${floorPerSecond.toFixed(0)}/s`);

    return {
      webhookToTimelineP50Ms: Number(p50.toFixed(1)),
      webhookToTimelineP95Ms: Number(p95.toFixed(1)),
      goalP95Ms: 100,
      textsPerSecond: Math.round(perSecond),
      textsLanded: landed.n,
      concurrency: CONCURRENCY,
      floorInsertP95Ms: Number(floorP95.toFixed(1)),
      floorInsertsPerSecond: Math.round(floorPerSecond),
    };
  } finally {
    await service.end();
    await admin.end();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
