// The demo organization's conversations as `npm start` makes them, on real
// Postgres with the seed, the Google stand-in and the real gmail.sync job:
// three text threads dated when they were written, the demo owner's Gmail
// connected with its token sealed, its first sync filing the thread with
// Daniel Kim on his timeline, and, after a restart of the stand-in, the
// same grant still working and a second sync adding nothing.
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec } from "@/lib/crypto/envelope";
import { applySeed } from "@/lib/db/migrate";
import { gmailClient, googleConfig } from "@/modules/gmail/google";
import { POLL_JOB, pollGmailMailboxes, SYNC_JOB, syncGmailMailbox } from "@/modules/gmail/sync";
import { runJobs } from "@/modules/jobs/edge";
import { useTestDatabase } from "@/tests/support/db";
import { DEMO_GMAIL, keepDemoMailbox, seedCommunicationsDemo } from "./communications-demo";
import { createGoogleStandIn, LOCAL_GOOGLE_CLIENT, serveGoogle } from "./google";
import { seedTwilioDemo } from "./twilio-demo";

const t = useTestDatabase();
let keys: string;
let service: postgres.Sql;
let server: Awaited<ReturnType<typeof serveGoogle>>;

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

async function drain() {
  for (let i = 0; i < 20; i++) {
    await t.admin`update jobs set run_at = now() where status = 'pending'`;
    const s = await runJobs(service, { [SYNC_JOB]: syncGmailMailbox, [POLL_JOB]: pollGmailMailboxes }, { env, fetch });
    if (s.claimed === 0) return;
  }
}

/** A fresh stand-in, as each `npm start` makes one, given back what Google kept. */
async function startGoogle() {
  await server?.close();
  const google = createGoogleStandIn(LOCAL_GOOGLE_CLIENT);
  server = await serveGoogle(google);
  await keepDemoMailbox(t.adminUrl, google);
}

beforeAll(async () => {
  keys = generateKeySpec("k1");
  service = postgres(t.appUrl, { max: 2, onnotice: () => {}, connection: { role: "service_role" } });
  await applySeed(t.adminUrl);
  await seedTwilioDemo(t.adminUrl, keys);
});
afterAll(async () => {
  await service?.end();
  await server?.close();
});

describe("the demo organization's conversations", () => {
  it("writes three text threads once, each text and its timeline item at the time it was written", async () => {
    expect(await seedCommunicationsDemo(t.adminUrl, keys)).toBe(true);
    expect(await seedCommunicationsDemo(t.adminUrl, keys)).toBe(false);
    const threads = await t.admin`
      select p.first_name, count(*)::int as texts, count(*) filter (where m.direction = 'inbound' and m.read_at is null)::int as unread,
             bool_and(m.direction = 'inbound' or m.status = 'delivered') as delivered,
             max(m.created_at) = p.last_contacted_at as contacted
      from sms_messages m join people p on p.id = m.person_id group by p.first_name, p.last_contacted_at order by p.first_name`;
    expect(threads).toEqual([
      { first_name: "Aisha", texts: 2, unread: 0, delivered: true, contacted: true },
      { first_name: "James", texts: 3, unread: 0, delivered: true, contacted: true },
      { first_name: "Tom", texts: 2, unread: 1, delivered: true, contacted: true },
    ]);
    const items = await t.admin`
      select e.kind, e.occurred_at = m.created_at as dated, e.actor_type, e.actor_id is not null as by_member
      from timeline_events e join sms_messages m on (e.data ->> 'sms_id')::uuid = m.id order by e.kind, e.occurred_at`;
    expect(items.every((i) => i.dated)).toBe(true);
    expect(items.filter((i) => i.kind === "sms_sent").every((i) => i.actor_type === "user" && i.by_member)).toBe(true);
  });

  it("connects the demo owner's Gmail, whose first sync files the thread with Daniel Kim on his timeline", async () => {
    const [mailbox] = await t.admin`
      select m.id, m.status, s.hint, s.secret from gmail_mailboxes m join org_secrets s on s.id = m.token_secret_id
      join auth.users u on u.id = m.user_id where u.email = 'demo@covey.local'`;
    expect(mailbox).toMatchObject({ status: "connected", hint: DEMO_GMAIL.refreshToken.slice(-4) });
    expect(mailbox.secret).not.toContain(DEMO_GMAIL.refreshToken);

    await startGoogle();
    await drain();
    const emails = await t.admin`
      select e.direction, e.status, e.provider_thread_id, e.subject, p.first_name
      from emails e join people p on p.id = e.person_id where e.mailbox_id = ${mailbox.id} order by coalesce(e.received_at, e.sent_at)`;
    expect(emails.map((e) => [e.direction, e.status, e.first_name])).toEqual([
      ["inbound", "received", "Daniel"],
      ["outbound", "sent", "Daniel"],
      ["inbound", "received", "Daniel"],
    ]);
    expect(new Set(emails.map((e) => e.provider_thread_id))).toEqual(new Set(["18c2a7d4e9f00001"]));
    const [daniel] = await t.admin`
      select (select count(*)::int from timeline_events where person_id = p.id and activity = 'emails') as items,
             p.last_contacted_at = (select max(received_at) from emails where person_id = p.id) as contacted
      from people p where p.first_name = 'Daniel' and p.last_name = 'Kim'`;
    expect(daniel).toEqual({ items: 3, contacted: true });
  });

  it("keeps the grant and the thread across a restart of the stand-in: Gmail answers, and a new sync adds nothing", async () => {
    await startGoogle();
    const profile = await gmailClient(googleConfig(env), DEMO_GMAIL.refreshToken).profile();
    expect(profile.emailAddress).toBe(DEMO_GMAIL.email);
    await t.admin`update gmail_mailboxes set history_id = null, sync_state = 'pending' where email = ${DEMO_GMAIL.email}`;
    await t.admin`select private.enqueue_job('gmail.sync', jsonb_build_object('mailbox_id', id), org_id, 'again') from gmail_mailboxes where email = ${DEMO_GMAIL.email}`;
    await drain();
    const [{ n }] = await t.admin`select count(*)::int as n from emails where provider_thread_id = '18c2a7d4e9f00001'`;
    expect(n).toBe(3);
    const [box] = await t.admin`select status, sync_state from gmail_mailboxes where email = ${DEMO_GMAIL.email}`;
    expect(box).toEqual({ status: "connected", sync_state: "synced" });
  });
});
