// The demo organization's calls through its Twilio number, so a newcomer's
// timelines show them on `npm start`: James Chen's call the owner took,
// one he missed, and a voicemail from Aisha Patel, with a recording that
// plays.
// Written once per database (recorded in seed_files like the seed), after
// the demo number exists; its triggers write the timeline items, the
// events and the voicemail's notification as a real call's would.
//
// A recording lives at Twilio, which the stand-in plays in memory, so at
// every start restoreStandInRecordings gives the stand-in back the audio
// of every recording Covey holds for its accounts, as Twilio keeps them.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { DEMO_TWILIO } from "../../modules/twilio/demo.ts";
import type { InboundCalls } from "./twilio-inbound-calls.ts";
import { voicemailWav } from "./twilio-inbound-calls.ts";

const MARK = "supabase/local/calls-demo.ts";
const sid = (prefix: "CA" | "RE") => `${prefix}${randomBytes(16).toString("hex")}`;

export async function seedCallsDemo(adminUrl: string, log: (l: string) => void = () => {}): Promise<boolean> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [done] = await sql`select 1 from supabase_migrations.seed_files where path = ${MARK}`;
    if (done) return false;
    const [phone] = await sql<{ id: string; org_id: string; owner: string }[]>`
      select id, org_id, default_owner_id as owner from public.phones where number = ${DEMO_TWILIO.number}`;
    if (!phone?.owner) return false;
    const people = await sql<{ id: string; first_name: string; phone: string }[]>`
      select id, first_name, phone from public.people
      where org_id = ${phone.org_id} and phone in ('+15125550202', '+15125550203') order by phone`;
    if (people.length < 2) return false;
    const [james, aisha] = people;
    const recording = sid("RE");
    await sql.begin(async (tx) => {
      const call = async (o: { person: string; from: string; minutesAgo: number; status: string; seconds: number; answered?: boolean }) => {
        const [row] = await tx`
          insert into public.calls (org_id, direction, source, phone_id, org_number, contact_number, status, provider_sid, person_id,
                                    started_at, answered_at, ended_at, duration_seconds, answered_by)
          values (${phone.org_id}, 'inbound', 'twilio', ${phone.id}, ${DEMO_TWILIO.number}, ${o.from}, ${o.status}, ${sid("CA")}, ${o.person},
                  now() - make_interval(mins => ${o.minutesAgo}::int),
                  case when ${o.status}::text = 'completed' then now() - make_interval(mins => ${o.minutesAgo}::int) + interval '8 seconds' end,
                  now() - make_interval(mins => ${o.minutesAgo}::int) + make_interval(secs => ${o.seconds}::int),
                  ${o.seconds}, ${o.answered ? phone.owner : null})
          returning id`;
        return row.id as string;
      };
      await call({ person: james.id, from: james.phone, minutesAgo: 60 * 26, status: "completed", seconds: 312, answered: true });
      await call({ person: james.id, from: james.phone, minutesAgo: 60 * 5, status: "no-answer", seconds: 20 });
      const voicemail = await call({ person: aisha.id, from: aisha.phone, minutesAgo: 40, status: "completed", seconds: 41 });
      // Arriving after the row, as Twilio's recording callback does, so its owner is told.
      await tx`
        update public.calls
           set recording_sid = ${recording},
               recording_url = ${`https://api.twilio.com/2010-04-01/Accounts/${DEMO_TWILIO.accountSid}/Recordings/${recording}`},
               recording_duration_seconds = 12, voicemail = true
         where id = ${voicemail}`;
      await tx`insert into supabase_migrations.seed_files (path, hash) values (${MARK}, 'start-up')`;
    });
    log("demo calls added");
    return true;
  } finally {
    await sql.end();
  }
}

/** Hands the stand-in the audio of every recording Covey holds for its accounts. */
export async function restoreStandInRecordings(adminUrl: string, inboundCalls: InboundCalls, accountSids: string[]): Promise<number> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql<{ url: string; seconds: number | null }[]>`
      select recording_url as url, recording_duration_seconds as seconds from public.calls where recording_url is not null`;
    let restored = 0;
    for (const r of rows) {
      const m = /\/Accounts\/(AC[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32})$/.exec(r.url);
      if (!m || !accountSids.includes(m[1]) || inboundCalls.recordings.has(m[2])) continue;
      inboundCalls.recordings.set(m[2], { accountSid: m[1], wav: voicemailWav(Math.max(1, r.seconds ?? 5)) });
      restored++;
    }
    return restored;
  } finally {
    await sql.end();
  }
}
