// The demo organization's conversations on the embedded runtime: text
// threads with three of its people on the demo number, and the demo owner's
// Gmail (demo.covey@gmail.com on the Google stand-in) connected, whose first
// sync imports an email thread with Daniel Kim onto his timeline through the
// real gmail.sync job. Made at start-up rather than in supabase/seed.sql:
// the texts need the demo number (twilio-demo.ts) and the mailbox's refresh
// token is sealed with the key-encryption key, which SQL never sees. Done
// once per database (seed_files), so what the demo owner changes stays.
//
// The Google stand-in forgets everything when the process ends; Google does
// not. keepDemoMailbox gives it back, on every start, the grant whose
// refresh token the database holds and the thread under its Gmail ids, so
// sending, replying in the thread and syncing keep working without
// duplicates.
import postgres from "postgres";
import { parseKeyring, sealSecret, secretHint } from "../../lib/crypto/envelope.ts";
import { DEMO_TWILIO } from "../../modules/twilio/demo.ts";
import type { GoogleStandIn, KeptMessage } from "./google.ts";

const MARK = "supabase/local/communications-demo.ts";

export const DEMO_GMAIL = {
  email: "demo.covey@gmail.com",
  // Google's refresh tokens look like this; the stand-in honours this one on every start.
  refreshToken: "1//0covey-demo-mailbox-refresh-token-kept-by-the-google-stand-in",
  scope: "https://www.googleapis.com/auth/gmail.send https://www.googleapis.com/auth/gmail.readonly",
  threadWith: { first: "Daniel", last: "Kim" },
} as const;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The email thread, as Gmail holds it: Daniel asks, the demo owner answers, Daniel confirms. */
function demoThread(daniel: string, now: number): KeptMessage[] {
  const subject = "Rollout timeline for the fleet trackers";
  return [
    {
      id: "18c2a7d4e9f00001",
      from: daniel,
      fromName: "Daniel Kim",
      to: DEMO_GMAIL.email,
      subject,
      text: "Hi,\n\nBefore we sign: how long does the rollout take for 40 vehicles, and can installs happen on weekends?\n\nThanks,\nDaniel",
      at: new Date(now - 3 * DAY),
    },
    {
      id: "18c2a7d4e9f00002",
      from: DEMO_GMAIL.email,
      fromName: "Dana Demo",
      to: daniel,
      subject: `Re: ${subject}`,
      text: "Hi Daniel,\n\nTwo weeks for 40 vehicles, in batches of ten, and yes: our installers work Saturdays at no extra cost.\n\nBest,\nDana",
      at: new Date(now - 3 * DAY + 2 * HOUR),
      inReplyTo: "18c2a7d4e9f00001",
    },
    {
      id: "18c2a7d4e9f00003",
      from: daniel,
      fromName: "Daniel Kim",
      to: DEMO_GMAIL.email,
      subject: `Re: ${subject}`,
      text: "Saturdays are perfect. Please send the contract over and we will start with the first ten.\n\nDaniel",
      at: new Date(now - 2 * DAY),
      inReplyTo: "18c2a7d4e9f00002",
    },
  ];
}

interface Text {
  dir: "inbound" | "outbound";
  body: string;
  /** How long ago, in ms. */
  ago: number;
}

/** Three conversations on the demo number; Tom's last text is unread, so the inbox has one to answer. */
const THREADS: { first: string; last: string; read: boolean; texts: Text[] }[] = [
  {
    first: "James",
    last: "Chen",
    read: true,
    texts: [
      { dir: "inbound", body: "Hi, is the quote you sent still valid through Friday?", ago: DAY + 6 * HOUR },
      { dir: "outbound", body: "Hi James, yes: it holds until Friday 5pm. Shall I send the contract?", ago: DAY + 5 * HOUR + 50 * 60_000 },
      { dir: "inbound", body: "Please do, thanks!", ago: DAY + 5 * HOUR + 45 * 60_000 },
    ],
  },
  {
    first: "Aisha",
    last: "Patel",
    read: true,
    texts: [
      { dir: "outbound", body: "Hi Aisha, confirming our call tomorrow at 2pm.", ago: DAY + 3 * HOUR },
      { dir: "inbound", body: "Confirmed, talk then.", ago: DAY + 2 * HOUR },
    ],
  },
  {
    first: "Tom",
    last: "Becker",
    read: false,
    texts: [
      { dir: "outbound", body: "Reminder: your site visit is Thursday at 9am.", ago: 5 * HOUR },
      { dir: "inbound", body: "Can we push it to 10am?", ago: 4 * HOUR },
    ],
  },
];

export async function seedCommunicationsDemo(adminUrl: string, secretKeys: string, log: (l: string) => void = () => {}): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [done] = await sql`select 1 from supabase_migrations.seed_files where path = ${MARK}`;
    if (done) return false;
    const [org] = await sql<{ id: string; owner: string }[]>`
      select m.org_id as id, m.user_id as owner from public.org_members m join auth.users u on u.id = m.user_id
      where u.email = 'demo@covey.local' and m.role = 'owner'`;
    const [number] = org ? await sql`select 1 from public.phones where org_id = ${org.id} and number = ${DEMO_TWILIO.number}` : [];
    if (!org || !number) return false;
    const purpose = `gmail.refresh_token:${org.owner}`;
    const keyring = await parseKeyring(secretKeys);
    const sealed = await sealSecret(keyring, DEMO_GMAIL.refreshToken, { orgId: org.id, purpose });
    const now = Date.now();
    await sql.begin(async (tx) => {
      // As the demo owner, so their texts read as theirs on the timelines.
      await tx`select set_config('request.jwt.claims', ${JSON.stringify({ sub: org.owner, role: "authenticated" })}, true)`;
      for (const thread of THREADS) {
        const [person] = await tx<{ id: string; phone: string }[]>`
          select id, phone from public.people where org_id = ${org.id} and first_name = ${thread.first} and last_name = ${thread.last}`;
        if (!person) continue;
        for (const text of thread.texts) {
          const at = new Date(now - text.ago);
          const outbound = text.dir === "outbound";
          const [sms] = await tx<{ id: string }[]>`
            insert into public.sms_messages (org_id, direction, org_number, contact_number, body, status, segments, person_id,
                                             author_id, read_at, created_at, sent_at, delivered_at)
            values (${org.id}, ${text.dir}, ${DEMO_TWILIO.number}, ${person.phone}, ${text.body},
                    ${outbound ? "delivered" : "received"}, 1, ${person.id}, ${outbound ? org.owner : null},
                    ${!outbound && thread.read ? at : null}, ${at}, ${outbound ? at : null}, ${outbound ? at : null})
            returning id`;
          // The triggers stamp the item with the moment the seed ran; the text was written earlier.
          await tx`update public.timeline_events set occurred_at = ${at} where org_id = ${org.id} and data ->> 'sms_id' = ${sms.id}::text`;
        }
      }
      await tx`select set_config('request.jwt.claims', '', true)`;

      const [secret] = await tx<{ id: string }[]>`
        insert into public.org_secrets (org_id, purpose, secret, key_id, hint, created_by)
        values (${org.id}, ${purpose}, ${sealed}, ${keyring.activeKid}, ${secretHint(DEMO_GMAIL.refreshToken)}, ${org.owner})
        returning id`;
      const [mailbox] = await tx<{ id: string }[]>`
        insert into public.gmail_mailboxes (org_id, user_id, email, token_secret_id)
        values (${org.id}, ${org.owner}, ${DEMO_GMAIL.email}, ${secret.id})
        returning id`;
      // Its first sync imports the thread, as connecting a mailbox does.
      await tx`select private.enqueue_job('gmail.sync', jsonb_build_object('mailbox_id', ${mailbox.id}::uuid), ${org.id}::uuid,
                                          ${`gmail-sync:${mailbox.id}:demo`})`;
      await tx`insert into supabase_migrations.seed_files (path, hash) values (${MARK}, 'start-up')`;
    });
    log("demo texts written and the demo owner's Gmail connected");
    return true;
  } finally {
    await sql.end();
  }
}

/** Gives the Google stand-in back the demo mailbox's grant and thread (every start). */
export async function keepDemoMailbox(adminUrl: string, google: GoogleStandIn): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [daniel] = await sql<{ email: string }[]>`
      select p.email::text as email from public.people p join public.org_members m on m.org_id = p.org_id
      join auth.users u on u.id = m.user_id
      where u.email = 'demo@covey.local' and p.first_name = ${DEMO_GMAIL.threadWith.first} and p.last_name = ${DEMO_GMAIL.threadWith.last}
        and p.email is not null`;
    google.keep(DEMO_GMAIL.email, DEMO_GMAIL, daniel ? demoThread(daniel.email, Date.now()) : []);
  } finally {
    await sql.end();
  }
}
