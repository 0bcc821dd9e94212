// Click-to-call: Covey rings the member's own phone from the org's number
// and, once they answer, Twilio bridges them to the contact
// (`<Dial callerId="org number"><Number>contact</Number></Dial>`), so the
// contact sees the org's number and the member talks on their own phone.
//
// The call row (outbound, `queued`, placed by the member, on the person or
// lead) is committed first, so it is on the timeline at once and stays
// there whatever Twilio says. Then Twilio's REST calls.create, then what it
// answered is recorded in the member's transaction
// (public.record_call_placement): the CallSid, from which the twilio-voice
// function's status callbacks move the call on (a callback that came before
// the SID is kept by CallSid and applied when the SID is recorded), or
// Twilio's refusal, which marks the call failed and is told to the member.
//
// Direct, not through the job queue: the member is waiting by their phone,
// and a refusal (their number, the org's number, Twilio's account) must be
// told in the answer to their click, where they can act on it. What the
// queue adds, retries later, is wrong for a call: a retry minutes after the
// member gave up would ring them out of the blue. Twilio down is a 502 now,
// with the call kept as failed.
import { sql, type Tx } from "@/lib/db";
import { throwRefusal } from "@/lib/db/errors";
import { conflict, DomainError, fieldError, notFound, parseInput } from "@/lib/errors";
import { openCredentials, type TwilioDeps, TwilioError } from "@/modules/twilio";
import { placeCallSchema } from "./schema";
import { VOICE_FUNCTION } from "./voice";

/** Runs `fn` in one transaction as the member (the server action's own, or an API request's). */
export type MemberRun = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

export interface PlacedCall {
  id: string;
  /** Twilio's CallSid. */
  sid: string;
  status: string;
  /** The member's phone, which rings first. */
  memberNumber: string;
  /** The org's number: the caller id both phones see. */
  orgNumber: string;
  contactNumber: string;
  personId: string | null;
  leadId: string | null;
}

/** How long the member's phone rings before the call ends as no-answer: they just asked for it. */
const RING_SECONDS = 30;
const PROFILE_FIX = { href: "/settings/profile", label: "Add your phone in Settings → Profile" };
const NUMBERS_FIX = { href: "/settings/numbers", label: "Settings → Numbers" };

interface Contact {
  name: string;
  phone: string | null;
  phones: string[];
  personId: string | null;
  leadId: string | null;
}

/** Who a person, lead or deal is called as: their numbers, and the record the call is on (a deal's is its person). */
async function contactOf(tx: Tx, record: { type: "person" | "lead" | "deal"; id: string }): Promise<Contact | null> {
  const { rows } = await sql<{ name: string; phone: string | null; phones: string[]; person_id: string | null; lead_id: string | null; found: boolean }>`
    select btrim(concat_ws(' ', p.first_name, p.last_name)) as name, p.phone, array_remove(p.phone || p.additional_phones, null) as phones,
           p.id as person_id, null::uuid as lead_id, true as found
      from people p where ${record.type} = 'person' and p.id = ${record.id}
    union all
    select btrim(concat_ws(' ', l.first_name, l.last_name)), l.phone, array_remove(array[l.phone], null), null, l.id, true
      from leads l where ${record.type} = 'lead' and l.id = ${record.id}
    union all
    select btrim(concat_ws(' ', p.first_name, p.last_name)), p.phone, array_remove(p.phone || p.additional_phones, null), p.id, null, d.person_id is not null
      from deals d left join people p on p.id = d.person_id where ${record.type} = 'deal' and d.id = ${record.id}`.execute(tx);
  const r = rows[0];
  if (!r) return null;
  if (!r.found) throw fieldError("to", "This deal has no person to call");
  // Only numbers Twilio can dial (E.164); a record imported with another shape has none to call.
  const e164 = (n: string | null) => (n && /^\+[1-9][0-9]{6,14}$/.test(n) ? n : null);
  return { name: r.name, phone: e164(r.phone), phones: r.phones.filter((n) => e164(n)), personId: r.person_id, leadId: r.lead_id };
}

/** The org's number to call from: the one this contact last talked with (a call or a text), else the first voice number. */
async function orgNumberFor(tx: Tx, contact: string): Promise<{ id: string; number: string } | null> {
  const { rows } = await sql<{ id: string; number: string }>`
    select p.id, p.number from phones p
    where p.voice_enabled
    order by greatest((select max(c.started_at) from calls c where c.org_number = p.number and c.contact_number = ${contact}),
                      (select max(m.created_at) from sms_messages m where m.org_number = p.number and m.contact_number = ${contact})) desc nulls last,
             p.created_at, p.id
    limit 1`.execute(tx);
  return rows[0] ?? null;
}

const xmlAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** What Twilio does once the member answers: connect them to the contact, showing the org's number. */
export function bridgeTwiml(orgNumber: string, contactNumber: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="${xmlAttr(orgNumber)}"><Number>${xmlText(contactNumber)}</Number></Dial></Response>`;
}

/**
 * Places a click-to-call for `member` on a person, lead or deal (`input`: `{ record, number? }`, the number
 * one of the record's own; its main phone by default). Refusals are DomainErrors a member can act on.
 */
export async function placeCall(deps: TwilioDeps, run: MemberRun, member: { userId: string; orgId: string }, input: unknown): Promise<PlacedCall> {
  const v = parseInput(placeCallSchema, input);
  if (!deps.config.webhookBaseUrl) {
    throw new DomainError("not_configured", "Calls need TWILIO_WEBHOOK_BASE_URL, where Twilio tells Covey how each call goes: set it as modules/twilio/README.md says.");
  }

  const queued = await run(async (tx) => {
    const contact = await contactOf(tx, v.record);
    if (!contact) throw notFound(`That ${v.record.type} no longer exists or is not in your organization.`);
    const who = contact.name || `This ${v.record.type === "lead" ? "lead" : "person"}`;
    if (v.number && !contact.phones.includes(v.number)) throw fieldError("number", `${v.number} is not one of ${who}'s numbers`);
    const to = v.number ?? contact.phone;
    if (!to) throw fieldError("to", `${who} has no phone number to call`);
    const { rows: me } = await sql<{ phone: string | null }>`select phone from profiles where user_id = ${member.userId}`.execute(tx);
    const mine = me[0]?.phone ?? null;
    if (!mine) {
      throw conflict("Add your own phone in Settings → Profile first: Covey rings it, then connects you to the contact.", { data: { fix: PROFILE_FIX } });
    }
    const account = await tx.selectFrom("twilio_accounts").select("id").executeTakeFirst();
    if (!account) throw conflict("This workspace has no Twilio account yet: an owner or admin connects it in Settings → Numbers.", { data: { fix: NUMBERS_FIX } });
    const from = await orgNumberFor(tx, to);
    if (!from) throw conflict("This workspace has no number that makes calls yet: an owner or admin adds one in Settings → Numbers.", { data: { fix: NUMBERS_FIX } });
    try {
      const { rows } = await sql<{ id: string }>`
        insert into calls (org_id, direction, source, phone_id, org_number, contact_number, status, user_id, person_id, lead_id)
        values (${member.orgId}, 'outbound', 'twilio', ${from.id}, ${from.number}, ${to}, 'queued', ${member.userId},
                ${contact.personId}, ${contact.leadId})
        returning id`.execute(tx);
      return { id: rows[0].id, memberNumber: mine, orgNumber: from.number, contactNumber: to, personId: contact.personId, leadId: contact.leadId };
    } catch (e) {
      throwRefusal(e);
    }
  });

  const record = (sid: string | null, error: { code: number | null; message: string } | null) =>
    run((tx) => sql`select public.record_call_placement(${queued.id}, ${sid}, ${error?.code ?? null}::integer, ${error?.message ?? null})`.execute(tx));
  const health = (ok: boolean, accountSid: string, error: string | null) =>
    deps.db.asService((tx) => sql`select private.record_integration_result(${member.orgId}, 'twilio', ${accountSid}, ${ok}, ${error})`.execute(tx));

  let creds;
  try {
    creds = await openCredentials(deps, member.orgId);
  } catch (e) {
    await record(null, { code: null, message: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  if (!creds) {
    await record(null, { code: null, message: "Twilio is not connected." });
    throw conflict("This workspace has no Twilio account yet: an owner or admin connects it in Settings → Numbers.", { data: { fix: NUMBERS_FIX } });
  }

  let sid: string;
  let status: string;
  try {
    const placed = await deps.client(creds).createCall({
      to: queued.memberNumber,
      from: queued.orgNumber,
      twiml: bridgeTwiml(queued.orgNumber, queued.contactNumber),
      statusCallback: `${deps.config.webhookBaseUrl}/${VOICE_FUNCTION}/status`,
      statusCallbackEvents: ["initiated", "ringing", "answered", "completed"],
      timeoutSeconds: RING_SECONDS,
    });
    ({ sid, status } = placed);
  } catch (e) {
    if (!(e instanceof TwilioError)) throw e;
    const said = e.code ? `${e.message} (${e.code})` : e.message;
    await record(null, { code: e.code, message: said });
    await health(false, creds.accountSid, `Twilio ${e.code ?? e.status}: ${e.message}`.slice(0, 500));
    if (e.transient) throw new DomainError("provider_unavailable", `Twilio could not be reached, so the call was not placed: ${e.message}`);
    if (e.authProblem) {
      throw conflict("Twilio refused this workspace's credentials (20003 Authenticate): an owner or admin connects it again in Settings → Numbers.", {
        data: { fix: NUMBERS_FIX },
      });
    }
    throw new DomainError("validation_failed", `Twilio refused the call: ${said}`);
  }
  await record(sid, null);
  await health(true, creds.accountSid, null);
  return { ...queued, sid, status };
}
