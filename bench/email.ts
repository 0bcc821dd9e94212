// Email through Gmail, end to end against the Google stand-in with the real
// SDKs, on a throwaway PostgreSQL:
//
// - compose → on the timeline: sendEmail as the compose drawer calls it
//   (log queued, open the token, build the RFC 2822 message, Gmail's
//   messages.send, record Gmail's ids), timed until the timeline read shows
//   the email with its thread id; beside the floor, the same timeline read
//   after a bare insert of an email row. Goal: p95 < 2 s.
// - the initial sync of a 10,000-message mailbox (every message from a known
//   contact, so each is fetched, parsed and filed): time and peak memory of
//   this process, with the import bounded as in production (IMPORT_MAX).
// - incremental sync of 100 new messages through history.list.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import postgres from "postgres";
import { generateKeySpec, parseKeyring, sealSecret } from "../lib/crypto/envelope.ts";
import { createDatabase } from "../lib/db/index.ts";
import { applyLocalPlatform, applyMigrations, LOCAL_ROLE_PASSWORDS } from "../lib/db/migrate.ts";
import { listTimeline } from "../modules/crm/timeline/queries.ts";
import { consentUrl, exchangeCode, googleConfig } from "../modules/gmail/google.ts";
import { composeSchema } from "../modules/gmail/schema.ts";
import { sendEmail } from "../modules/gmail/service.ts";
import { IMPORT_MAX, SYNC_JOB, syncGmailMailbox } from "../modules/gmail/sync.ts";
import { runJobs } from "../modules/jobs/runner.ts";
import { createGoogleStandIn, LOCAL_GOOGLE_CLIENT, serveGoogle } from "../supabase/local/google.ts";
import { startLocalPostgres } from "../supabase/local/postgres.ts";
import { stats } from "./_stats.ts";

const PORT = Number(process.env.BENCH_PG_PORT_EMAIL ?? 54397);
const SENDS = Number(process.env.BENCH_EMAIL_SENDS ?? 200);
const MAILBOX = Number(process.env.BENCH_EMAIL_MAILBOX ?? 10_000);
const INCREMENTAL = 100;

export default async function bench() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "covey-bench-email-"));
  chmodSync(dir, 0o755);
  const pg = await startLocalPostgres({ dir: path.join(dir, "pg"), port: PORT, persistent: false });
  const admin = postgres(pg.adminUrl(), { max: 2, onnotice: () => {} });
  const appUrl = `postgres://covey_app:${LOCAL_ROLE_PASSWORDS.covey_app}@127.0.0.1:${PORT}/postgres`;
  const db = createDatabase(appUrl, { max: 4 });
  const service = postgres(appUrl, { max: 4, prepare: false, onnotice: () => {}, connection: { role: "service_role" } });
  const google = createGoogleStandIn(LOCAL_GOOGLE_CLIENT);
  const server = await serveGoogle(google);
  try {
    await applyLocalPlatform(pg.adminUrl());
    await applyMigrations(pg.adminUrl());
    await admin`delete from private.job_schedules`;
    const keys = generateKeySpec("k1");
    const env: Record<string, string> = {
      COVEY_SECRET_KEYS: keys,
      GOOGLE_CLIENT_ID: LOCAL_GOOGLE_CLIENT.clientId,
      GOOGLE_CLIENT_SECRET: LOCAL_GOOGLE_CLIENT.clientSecret,
      GOOGLE_AUTH_URL: `${server.url}/o/oauth2/v2/auth`,
      GOOGLE_OAUTH_URL: server.url,
      GOOGLE_API_URL: server.url,
    };
    const config = googleConfig((n) => env[n]);
    const [user] = await admin`
      insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, aud, role)
      values ('bench@example.test', 'x', now(), ${admin.json({ full_name: "Bench", org_name: "Bench Mail" })}, 'authenticated', 'authenticated')
      returning id`;
    const [{ org_id: orgId }] = await admin`select org_id from org_members where user_id = ${user.id}`;
    const claims = { sub: user.id, email: "bench@example.test", role: "authenticated", aud: "authenticated" };
    const [{ id: personId }] = await admin`insert into people (org_id, first_name, email) values (${orgId}, 'Ada', 'ada@example.com') returning id`;

    const connect = async (email: string) => {
      const redirectUri = "http://bench/callback";
      const url = new URL(consentUrl(config, { redirectUri, state: "s" }));
      const form = new URLSearchParams(url.searchParams);
      form.set("account", email);
      form.set("decision", "allow");
      const res = await fetch(url, { method: "POST", body: form, redirect: "manual" });
      const tokens = await exchangeCode(config, new URL(res.headers.get("location")!).searchParams.get("code")!, redirectUri);
      const sealed = await sealSecret(await parseKeyring(keys), tokens.refreshToken, { orgId, purpose: `gmail.refresh_token:${user.id}` });
      return db.asUser(claims, async (tx) => (await sql<{ id: string }>`select public.connect_gmail_mailbox(${email}, ${sealed}, 'x') as id`.execute(tx)).rows[0].id);
    };

    // Compose → timeline.
    await connect("bench.sender@gmail.com");
    await admin`delete from jobs`;
    const deps = { db, keyring: () => parseKeyring(keys), google: () => config };
    const run = <T>(fn: Parameters<typeof db.asUser<T>>[1]) => db.asUser(claims, fn);
    const subject = { type: "person" as const, id: personId };
    const composeMs: number[] = [];
    for (let i = 0; i < SENDS; i++) {
      const input = composeSchema.parse({ subject, to: "ada@example.com", title: `Hello {{first_name}} ${i}`, html: "<p>Hi {{first_name}}, a short note.</p>" });
      const started = performance.now();
      const sent = await sendEmail(deps, run, { userId: user.id, name: "Bench" }, input);
      const page = await run((tx) => listTimeline(tx, subject, { limit: 20 }));
      if (!page.items.some((it) => it.email?.id === sent.id && it.email.providerThreadId === sent.providerThreadId)) throw new Error("the sent email is not on the timeline");
      composeMs.push(performance.now() - started);
    }
    const floorMs: number[] = [];
    for (let i = 0; i < SENDS; i++) {
      const started = performance.now();
      const [row] = await admin`insert into emails (org_id, direction, provider, from_address, to_addresses, subject, status, person_id, provider_thread_id)
                                values (${orgId}, 'outbound', 'gmail', 'x@y.z', '{ada@example.com}', 'floor', 'sent', ${personId}, 'floor') returning id`;
      const page = await run((tx) => listTimeline(tx, subject, { limit: 20 }));
      if (!page.items.some((it) => it.email?.id === row.id)) throw new Error("the floor email is not on the timeline");
      floorMs.push(performance.now() - started);
    }
    const compose = stats(composeMs);
    const floor = stats(floorMs);
    console.log(`compose → timeline (${SENDS} sends): p50 ${compose.p50} ms, p95 ${compose.p95} ms (goal < 2000 ms); floor (bare insert + timeline read): p50 ${floor.p50} ms, p95 ${floor.p95} ms`);

    // Initial sync of a large mailbox.
    const box = "bench.big@gmail.com";
    await fetch(`${server.url}/_dev/seed`, { method: "POST", body: JSON.stringify({ email: box, count: MAILBOX, from: "ada@example.com" }) });
    const mailboxId = await connect(box);
    const drain = async () => {
      for (;;) {
        await admin`update jobs set run_at = now() where status = 'pending'`;
        const s = await runJobs(service, { [SYNC_JOB]: syncGmailMailbox }, { env: (n) => env[n] ?? "", fetch, concurrency: 1, maxRunMs: 600_000 });
        if (s.claimed === 0) return;
      }
    };
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
    const baseline = process.memoryUsage().rss;
    const syncStarted = performance.now();
    await drain();
    const syncSeconds = (performance.now() - syncStarted) / 1000;
    clearInterval(sampler);
    const [imported] = await admin`select messages_imported, sync_state from gmail_mailboxes where id = ${mailboxId}`;
    const expected = Math.min(MAILBOX, IMPORT_MAX);
    if (imported.messages_imported !== expected) throw new Error(`imported ${imported.messages_imported} of ${expected}`);
    console.log(
      `initial sync of a ${MAILBOX.toLocaleString("en-US")}-message mailbox: ${expected} imported (bounded at ${IMPORT_MAX}) in ${syncSeconds.toFixed(1)} s ` +
        `(${(expected / syncSeconds).toFixed(0)} messages/s; the 1 s pause between pages of 100 is skipped here); peak RSS ${(peak / 1e6).toFixed(0)} MB (${((peak - baseline) / 1e6).toFixed(0)} MB above the start)`,
    );

    // Incremental: 100 new messages through history.list.
    for (let i = 0; i < INCREMENTAL; i++) {
      await fetch(`${server.url}/_dev/incoming`, { method: "POST", body: JSON.stringify({ to: box, from: "ada@example.com", subject: `New ${i}`, text: "Hello" }) });
    }
    await admin`select private.enqueue_job(${SYNC_JOB}, ${JSON.stringify({ mailbox_id: mailboxId })}::text::jsonb, ${orgId}, 'bench-incremental')`;
    const incStarted = performance.now();
    await drain();
    const incSeconds = (performance.now() - incStarted) / 1000;
    const [{ n }] = await admin`select count(*)::int as n from emails where mailbox_id = ${mailboxId} and subject like 'New %'`;
    if (n !== INCREMENTAL) throw new Error(`incremental sync filed ${n} of ${INCREMENTAL}`);
    console.log(`incremental sync of ${INCREMENTAL} new messages: ${(incSeconds * 1000).toFixed(0)} ms (${(INCREMENTAL / incSeconds).toFixed(0)} messages/s)`);

    return {
      composeToTimelineMs: compose,
      floorInsertToTimelineMs: floor,
      composeGoalMs: 2000,
      initialSync: { mailboxMessages: MAILBOX, imported: expected, seconds: Number(syncSeconds.toFixed(1)), peakRssMb: Math.round(peak / 1e6), aboveStartMb: Math.round((peak - baseline) / 1e6) },
      incrementalSync: { messages: INCREMENTAL, ms: Math.round(incSeconds * 1000) },
    };
  } finally {
    await server.close();
    await service.end();
    await db.destroy();
    await admin.end();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
