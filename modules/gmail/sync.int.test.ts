// Gmail sync against real Postgres and the Google stand-in, through the
// real SDKs and the job queue: the initial import files threads with known
// contacts only; incremental sync brings a reply onto the right person's
// timeline and tells the owner; an expired history id imports again without
// duplicates; a token revoked at Google marks the mailbox, raises an alert,
// and leaves another member's mailbox syncing; the push endpoint checks its
// token and queues one sync per notification.
import { sql } from "kysely";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { runJobs } from "@/modules/jobs/edge";
import { createGoogleStandIn, type GoogleStandIn, LOCAL_GOOGLE_CLIENT, serveGoogle } from "@/supabase/local/google";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { consentUrl, exchangeCode, googleConfig } from "./google";
import { handleGmailPush } from "./push";
import { POLL_JOB, pollGmailMailboxes, SYNC_JOB, syncGmailMailbox } from "./sync";

const t = useTestDatabase();
let keys: string;
let google: GoogleStandIn;
let server: Awaited<ReturnType<typeof serveGoogle>>;
let service: postgres.Sql;
let owner: TestUser;
let member: TestUser;
let adaId: string;
const PUSH_TOKEN = "push-secret-token";

const env = (name: string) =>
  ({
    COVEY_SECRET_KEYS: keys,
    GOOGLE_CLIENT_ID: LOCAL_GOOGLE_CLIENT.clientId,
    GOOGLE_CLIENT_SECRET: LOCAL_GOOGLE_CLIENT.clientSecret,
    GOOGLE_AUTH_URL: `${server.url}/o/oauth2/v2/auth`,
    GOOGLE_OAUTH_URL: server.url,
    GOOGLE_API_URL: server.url,
    GMAIL_PUSH_TOPIC: "projects/covey-test/topics/gmail",
  })[name] ?? "";
const handlers = { [SYNC_JOB]: syncGmailMailbox, [POLL_JOB]: pollGmailMailboxes };
const drain = async () => {
  for (let i = 0; i < 20; i++) {
    await t.admin`update jobs set run_at = now() where status = 'pending'`;
    const s = await runJobs(service, handlers, { env, fetch });
    if (s.claimed === 0) return;
  }
};
const incoming = (body: Record<string, unknown>) => fetch(`${server.url}/_dev/incoming`, { method: "POST", body: JSON.stringify(body) });

/** The member grants access on the consent screen and Covey stores the mailbox, as the callback does. */
async function connect(user: TestUser, email: string): Promise<string> {
  const config = googleConfig(env);
  const redirectUri = "http://app.test/api/gmail/callback";
  const url = new URL(consentUrl(config, { redirectUri, state: "s" }));
  const form = new URLSearchParams(url.searchParams);
  form.set("account", email);
  form.set("decision", "allow");
  const res = await fetch(url, { method: "POST", body: form, redirect: "manual" });
  const code = new URL(res.headers.get("location")!).searchParams.get("code")!;
  const tokens = await exchangeCode(config, code, redirectUri);
  const sealed = await sealSecret(await parseKeyring(keys), tokens.refreshToken, { orgId: user.orgId, purpose: `gmail.refresh_token:${user.id}` });
  return t.db.asUser(user.claims, async (tx) => {
    const { rows } = await sql<{ id: string }>`select public.connect_gmail_mailbox(${email}, ${sealed}, 'abcd') as id`.execute(tx);
    return rows[0].id;
  });
}

const mailbox = async (id: string) => (await t.admin`select * from gmail_mailboxes where id = ${id}`)[0];
const emailsOf = (mailboxId: string) => t.admin`select subject, direction, person_id, lead_id, provider_message_id from emails where mailbox_id = ${mailboxId} order by subject`;

beforeAll(async () => {
  keys = generateKeySpec("k1");
  google = createGoogleStandIn(LOCAL_GOOGLE_CLIENT);
  server = await serveGoogle(google);
  service = postgres(t.appUrl, { max: 4, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Mail Co" });
  member = await createMember(t, owner.orgId, "member");
  [{ id: adaId }] = await t.admin`insert into people (org_id, first_name, last_name, email, owner_id)
                                  values (${owner.orgId}, 'Ada', 'Lovelace', 'ada@example.com', ${member.id}) returning id`;
  await t.admin`insert into leads (org_id, source, first_name, email, owner_id) values (${owner.orgId}, 'manual', 'Lee', 'lee@example.com', ${owner.id})`;
});
afterAll(async () => {
  await service?.end();
  await server?.close();
});

describe("Gmail sync", () => {
  let box: string;

  it("imports recent threads with known contacts only, then watches the mailbox", async () => {
    await incoming({ to: "demo.covey@gmail.com", from: "ada@example.com", fromName: "Ada Lovelace", subject: "A: hello from Ada", text: "Hi there" });
    await incoming({ to: "demo.covey@gmail.com", from: "lee@example.com", subject: "B: question from Lee", text: "Pricing?" });
    await incoming({ to: "demo.covey@gmail.com", from: "newsletter@shop.example", subject: "C: sale", text: "50% off" });
    box = await connect(owner, "demo.covey@gmail.com");
    await drain();
    const m = await mailbox(box);
    expect(m).toMatchObject({ status: "connected", sync_state: "synced", messages_imported: 2, last_error: null });
    expect(m.history_id).toMatch(/^\d+$/);
    expect(m.watch_expires_at).not.toBeNull();
    expect(google.mailbox("demo.covey@gmail.com").watching).toBe(true);
    const stored = await emailsOf(box);
    expect(stored.map((e) => e.subject)).toEqual(["A: hello from Ada", "B: question from Lee"]);
    expect(stored[0]).toMatchObject({ direction: "inbound", person_id: adaId, lead_id: null });
    expect(stored[1].lead_id).not.toBeNull();
    // The import is history, not news: nobody is notified of it.
    expect(await t.admin`select 1 from notifications where type = 'email_received'`).toHaveLength(0);
  });

  it("brings a reply onto the person's timeline through a verified push, tells the owner, and emits email.received", async () => {
    const bad = await handleGmailPush(new Request("http://fn/gmail-push?token=wrong", { method: "POST", body: "{}" }), { sql: service, token: PUSH_TOKEN });
    expect(bad.status).toBe(401);

    await incoming({ to: "demo.covey@gmail.com", from: "ada@example.com", fromName: "Ada Lovelace", subject: "D: Re: proposal", text: "Sounds good" });
    const note = { emailAddress: "demo.covey@gmail.com", historyId: google.mailbox("demo.covey@gmail.com").historyId };
    const push = () =>
      handleGmailPush(
        new Request(`http://fn/gmail-push?token=${PUSH_TOKEN}`, {
          method: "POST",
          body: JSON.stringify({ message: { data: Buffer.from(JSON.stringify(note)).toString("base64"), messageId: "pubsub-1" }, subscription: "s" }),
        }),
        { sql: service, token: PUSH_TOKEN },
      );
    expect((await push()).status).toBe(204);
    // Pub/Sub redelivers: stored once, nothing more queued.
    expect((await push()).status).toBe(202);
    expect(await t.admin`select count(*)::int as n from private.inbound_events where provider = 'gmail'`).toEqual([{ n: 1 }]);
    expect(await t.admin`select count(*)::int as n from jobs where kind = ${SYNC_JOB} and status = 'pending'`).toEqual([{ n: 1 }]);
    await drain();

    const [item] = await t.admin`select e.kind, e.person_id, em.subject, em.provider_thread_id from timeline_events e join emails em on em.id = e.email_id
                                 where e.person_id = ${adaId} and em.subject = 'D: Re: proposal'`;
    expect(item).toMatchObject({ kind: "email", person_id: adaId });
    expect(item.provider_thread_id).toMatch(/^[0-9a-f]{16}$/);
    expect(await t.admin`select user_id, title, link from notifications where type = 'email_received'`).toEqual([
      { user_id: member.id, title: "Email from Ada Lovelace", link: `/people/${adaId}` },
    ]);
    expect(await t.admin`select type from domain_events where type = 'email.received' and object_id in (select id from emails where subject = 'D: Re: proposal')`).toHaveLength(1);
  });

  it("imports again from scratch when Gmail no longer has the history id, without duplicates", async () => {
    const before = await emailsOf(box);
    await incoming({ to: "demo.covey@gmail.com", from: "ada@example.com", subject: "E: while away", text: "Are you there?" });
    await fetch(`${server.url}/_dev/expire-history`, { method: "POST", body: JSON.stringify({ email: "demo.covey@gmail.com" }) });
    await incoming({ to: "demo.covey@gmail.com", from: "ada@example.com", subject: "F: after expiry", text: "Hello?" });
    const oldHistory = (await mailbox(box)).history_id;
    await t.admin`select private.enqueue_job(${SYNC_JOB}, ${JSON.stringify({ mailbox_id: box })}::text::jsonb, ${owner.orgId}, 'resync-test')`;
    await drain();

    const after = await emailsOf(box);
    expect(after.map((e) => e.subject)).toEqual([...before.map((e) => e.subject), "E: while away", "F: after expiry"]);
    expect(new Set(after.map((e) => e.provider_message_id)).size).toBe(after.length);
    const m = await mailbox(box);
    expect(m.sync_state).toBe("synced");
    expect(Number(m.history_id)).toBeGreaterThan(Number(oldHistory));

    // And once more, incremental from the new id: nothing new, nothing doubled.
    await t.admin`select private.enqueue_job(${SYNC_JOB}, ${JSON.stringify({ mailbox_id: box })}::text::jsonb, ${owner.orgId}, 'resync-test-2')`;
    await drain();
    expect(await emailsOf(box)).toHaveLength(after.length);
  });

  it("marks a mailbox whose token was revoked at Google, raises one alert, and keeps syncing the others", async () => {
    const other = await connect(member, "sam.sales.covey@gmail.com");
    await drain();
    await fetch(`${server.url}/_dev/revoke`, { method: "POST", body: JSON.stringify({ email: "demo.covey@gmail.com" }) });
    await incoming({ to: "sam.sales.covey@gmail.com", from: "ada@example.com", subject: "G: to Sam", text: "Hi Sam" });
    await t.admin`update private.job_schedules set next_run_at = now() where name = ${POLL_JOB}`;
    await drain();

    const revoked = await mailbox(box);
    expect(revoked).toMatchObject({ status: "revoked", sync_state: "error" });
    expect(revoked.last_error).toMatch(/revoked/i);
    const alerts = await t.admin`select fingerprint, severity, status, title from integration_alerts where integration = 'gmail'`;
    expect(alerts).toEqual([{ fingerprint: `gmail:mailbox:${box}`, severity: "critical", status: "open", title: "Gmail access revoked for demo.covey@gmail.com" }]);
    expect(await t.admin`select user_id from notifications where type = 'integration_alert' and link = '/settings/integrations/gmail'`).toEqual([{ user_id: owner.id }]);
    // Nothing retries a revoked mailbox, and nothing is dead-lettered.
    expect(await t.admin`select count(*)::int as n from jobs where kind = ${SYNC_JOB} and status in ('pending', 'dead')`).toEqual([{ n: 0 }]);

    expect(await mailbox(other)).toMatchObject({ status: "connected", sync_state: "synced" });
    expect((await emailsOf(other)).map((e) => e.subject)).toContain("G: to Sam");

    // Connecting again resolves the alert and syncs from where it was.
    await connect(owner, "demo.covey@gmail.com");
    await drain();
    expect(await mailbox(box)).toMatchObject({ status: "connected", sync_state: "synced" });
    expect(await t.admin`select status from integration_alerts where fingerprint = ${`gmail:mailbox:${box}`}`).toEqual([{ status: "resolved" }]);
  });

  it("shows a member only their own mailbox, and owners everyone's, never the token", async () => {
    const mine = await t.db.asUser(member.claims, (tx) => tx.selectFrom("gmail_mailboxes").select("email").execute());
    expect(mine.map((m) => m.email)).toEqual(["sam.sales.covey@gmail.com"]);
    const all = await t.db.asUser(owner.claims, (tx) => tx.selectFrom("gmail_mailboxes").select("email").orderBy("email").execute());
    expect(all).toHaveLength(2);
    const secret = await t.db
      .asUser(owner.claims, (tx) => sql`select secret from org_secrets where purpose like 'gmail.%'`.execute(tx))
      .catch((e: { code?: string }) => e);
    expect(secret).toMatchObject({ code: "42501" });
  });
});
