// Settings → Numbers: the org's Twilio account and its numbers. Plain
// functions (no Next request context) so server actions and tests share
// them. The database enforces owner/admin again (RLS, store_org_secret).
//
// The auth token and API key secret go from the form to Twilio (to check
// they open the account) and into org_secrets sealed; they are never sent
// back to the browser. Opening them again (test connection, sends, webhook
// checks) happens as service_role after the member's own role check, or in
// the Edge Functions and jobs.
import type { Updateable } from "kysely";
import type { SessionActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { type Keyring, openSecret, SecretDecryptError, SecretsNotConfiguredError } from "@/lib/crypto/envelope";
import { storeSecret } from "@/lib/crypto/member";
import { type Database, sql, type Tx } from "@/lib/db";
import { isUniqueViolation, throwRefusal } from "@/lib/db/errors";
import { conflict, DomainError, fieldError, forbidden, notFound, parseInput } from "@/lib/errors";
import type { DB } from "@/types/database";
import { type TwilioClient, type TwilioConfig, type TwilioCredentials, TwilioError } from "./client";
import { connectTwilioSchema, phoneRefSchema, phoneSchema, phoneUpdateSchema, phoneVoiceSchema } from "./schema";

export interface TwilioDeps {
  db: Database;
  keyring: () => Promise<Keyring>;
  config: TwilioConfig;
  client: (creds: TwilioCredentials) => TwilioClient;
}

export const AUTH_TOKEN_PURPOSE = "twilio.auth_token";
export const API_KEY_SECRET_PURPOSE = "twilio.api_key_secret";

const notAllowed = () => forbidden("Only owners and admins can manage numbers and the Twilio account.");
const notConnected = () => notFound("Twilio is not connected. Connect the account first.");

function allowed(actor: SessionActor) {
  if (!can(actor.role, "integrations.manage")) throw notAllowed();
}

async function keyringOf(deps: TwilioDeps): Promise<Keyring> {
  try {
    return await deps.keyring();
  } catch (e) {
    if (e instanceof SecretsNotConfiguredError) throw new DomainError("not_configured", e.message);
    throw e;
  }
}

function twilioRefusal(e: unknown, field: string): never {
  if (e instanceof TwilioError) {
    if (e.transient) throw new DomainError("internal_error", `Twilio could not be reached (${e.message}). Try again in a moment.`);
    if (e.authProblem) throw fieldError(field, "Twilio refused these credentials (20003 Authenticate): check the SID and the secret.");
    throw fieldError(field, `Twilio refused: ${e.message}`);
  }
  throw e;
}

/**
 * Connects the org's Twilio account (or replaces its credentials): Twilio
 * must accept them for that account, then the sealed secrets and the account
 * row are written in one transaction.
 */
export async function connectTwilio(deps: TwilioDeps, actor: SessionActor, input: unknown): Promise<{ id: string }> {
  allowed(actor);
  const v = parseInput(connectTwilioSchema, input);
  const keyring = await keyringOf(deps);
  const creds: TwilioCredentials = { accountSid: v.accountSid, authToken: v.authToken, apiKeySid: v.apiKeySid, apiKeySecret: v.apiKeySecret };
  // The auth token is checked on its own even with a key: it is what Twilio signs webhooks with.
  const account = await deps
    .client({ accountSid: v.accountSid, authToken: v.authToken })
    .fetchAccount()
    .catch((e) => twilioRefusal(e, "authToken"));
  if (v.apiKeySid) await deps.client(creds).fetchAccount().catch((e) => twilioRefusal(e, "apiKeySecret"));
  try {
    return await deps.db.asUser(actor.claims, async (tx) => {
      const token = await storeSecret(tx, keyring, { purpose: AUTH_TOKEN_PURPOSE, plaintext: v.authToken });
      const key = v.apiKeySecret ? await storeSecret(tx, keyring, { purpose: API_KEY_SECRET_PURPOSE, plaintext: v.apiKeySecret }) : null;
      const row = {
        account_sid: v.accountSid,
        auth_token_secret_id: token.id,
        api_key_sid: v.apiKeySid ?? null,
        api_key_secret_id: key?.id ?? null,
        friendly_name: account.friendlyName.slice(0, 200) || null,
        status: "ok",
        checked_at: new Date(),
        check_error: null,
      };
      const existing = await tx.selectFrom("twilio_accounts").select("id").executeTakeFirst();
      const saved = existing
        ? await tx.updateTable("twilio_accounts").set(row).where("id", "=", existing.id).returning("id").executeTakeFirstOrThrow()
        : await tx.insertInto("twilio_accounts").values({ org_id: actor.orgId, ...row }).returning("id").executeTakeFirstOrThrow();
      // An API key no longer given is dropped with its secret.
      if (!key) await tx.deleteFrom("org_secrets").where("purpose", "=", API_KEY_SECRET_PURPOSE).execute();
      return saved;
    });
  } catch (e) {
    throwRefusal(e, { forbidden: notAllowed });
  }
}

/** The org's credentials, opened: for server code after its own role check (test connection, sends from the app). */
export async function openCredentials(deps: TwilioDeps, orgId: string): Promise<TwilioCredentials | null> {
  const keyring = await keyringOf(deps);
  const row = await deps.db.asService(async (tx) => {
    const { rows } = await sql<{ account_sid: string; api_key_sid: string | null; token: string; key_secret: string | null }>`
      select a.account_sid, a.api_key_sid, t.secret as token, k.secret as key_secret
      from twilio_accounts a
      join org_secrets t on t.id = a.auth_token_secret_id and t.org_id = a.org_id
      left join org_secrets k on k.id = a.api_key_secret_id and k.org_id = a.org_id
      where a.org_id = ${orgId}`.execute(tx);
    return rows[0];
  });
  if (!row) return null;
  try {
    return {
      accountSid: row.account_sid,
      authToken: await openSecret(keyring, row.token, { orgId, purpose: AUTH_TOKEN_PURPOSE }),
      apiKeySid: row.api_key_sid,
      apiKeySecret: row.key_secret ? await openSecret(keyring, row.key_secret, { orgId, purpose: API_KEY_SECRET_PURPOSE }) : null,
    };
  } catch (e) {
    if (e instanceof SecretDecryptError) {
      throw new DomainError("not_configured", "The stored Twilio credentials cannot be decrypted with this deployment's COVEY_SECRET_KEYS. Connect the account again.");
    }
    throw e;
  }
}

export interface TwilioConnectionTest {
  ok: boolean;
  friendlyName: string | null;
  error: string | null;
}

/** Asks Twilio for the account with the stored credentials, and records what it said on the account and in integration health. */
export async function testTwilioConnection(deps: TwilioDeps, actor: SessionActor): Promise<TwilioConnectionTest> {
  allowed(actor);
  const creds = await openCredentials(deps, actor.orgId);
  if (!creds) throw notConnected();
  let result: TwilioConnectionTest;
  try {
    const account = await deps.client(creds).fetchAccount();
    result = { ok: true, friendlyName: account.friendlyName, error: null };
  } catch (e) {
    if (!(e instanceof TwilioError)) throw e;
    result = { ok: false, friendlyName: null, error: e.authProblem ? "Twilio refused the stored credentials (20003 Authenticate)." : e.message.slice(0, 500) };
  }
  await deps.db.asService(async (tx) => {
    await tx
      .updateTable("twilio_accounts")
      .set({ status: result.ok ? "ok" : "failed", checked_at: new Date(), check_error: result.error, ...(result.friendlyName ? { friendly_name: result.friendlyName.slice(0, 200) } : {}) })
      .where("org_id", "=", actor.orgId)
      .execute();
    await sql`select private.record_integration_result(${actor.orgId}, 'twilio', ${creds.accountSid}, ${result.ok}, ${result.error})`.execute(tx);
  });
  return result;
}

export async function disconnectTwilio(deps: TwilioDeps, actor: SessionActor): Promise<void> {
  allowed(actor);
  try {
    await deps.db.asUser(actor.claims, async (tx) => {
      const gone = await tx.deleteFrom("twilio_accounts").returning("id").executeTakeFirst();
      if (!gone) throw notConnected();
    });
  } catch (e) {
    throwRefusal(e, { forbidden: notAllowed });
  }
}

const numberTaken = () =>
  conflict("This number is already registered, in this workspace or another one.", { details: { number: ["Already registered"] } });

async function checkDefault(tx: Tx, v: { defaultOwnerId: string | null; defaultTeamId: string | null }) {
  if (v.defaultOwnerId) {
    const member = await tx.selectFrom("org_members").select("user_id").where("user_id", "=", v.defaultOwnerId).executeTakeFirst();
    if (!member) throw fieldError("defaultOwnerId", "Choose a member of this workspace");
  }
  if (v.defaultTeamId) {
    const team = await tx
      .selectFrom("teams")
      .select("id")
      .where("id", "=", v.defaultTeamId)
      .where("archived_at", "is", null)
      .executeTakeFirst();
    if (!team) throw fieldError("defaultTeamId", "Choose an active team of this workspace");
  }
}

export async function addPhone(deps: TwilioDeps, actor: SessionActor, input: unknown): Promise<{ id: string; number: string }> {
  allowed(actor);
  const v = parseInput(phoneSchema, input);
  try {
    return await deps.db.asUser(actor.claims, async (tx) => {
      await checkDefault(tx, v);
      return tx
        .insertInto("phones")
        .values({
          org_id: actor.orgId,
          number: v.number,
          label: v.label,
          sms_enabled: v.smsEnabled,
          voice_enabled: v.voiceEnabled,
          default_owner_id: v.defaultOwnerId,
          default_team_id: v.defaultTeamId,
        })
        .returning(["id", "number"])
        .executeTakeFirstOrThrow();
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw numberTaken();
    throwRefusal(e, { forbidden: notAllowed });
  }
}

export async function updatePhone(deps: TwilioDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const v = parseInput(phoneUpdateSchema, input);
  await writePhone(deps, actor, v.id, async (tx) => {
    await checkDefault(tx, v);
    return {
      label: v.label,
      sms_enabled: v.smsEnabled,
      voice_enabled: v.voiceEnabled,
      default_owner_id: v.defaultOwnerId,
      default_team_id: v.defaultTeamId,
    };
  });
}

/** How a number answers calls: greetings, the forward's timeout, voicemail, business hours. */
export async function updatePhoneVoice(deps: TwilioDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const v = parseInput(phoneVoiceSchema, input);
  await writePhone(deps, actor, v.id, async () => ({
    voice_greeting: v.greeting,
    voice_greeting_url: v.greetingUrl,
    voice_forward_timeout_seconds: v.forwardTimeoutSeconds,
    voicemail_greeting: v.voicemailGreeting,
    voicemail_max_seconds: v.voicemailMaxSeconds,
    after_hours_greeting: v.afterHoursGreeting,
    business_hours_enabled: v.businessHoursEnabled,
    business_time_zone: v.timeZone,
    business_days: v.days,
    business_opens: v.opens,
    business_closes: v.closes,
  }));
}

/** One update of a registered number as the member, refused alike whichever of its settings it writes. */
async function writePhone(
  deps: TwilioDeps,
  actor: SessionActor,
  id: string,
  values: (tx: Tx) => Promise<Updateable<DB["phones"]>>,
): Promise<void> {
  try {
    await deps.db.asUser(actor.claims, async (tx) => {
      const done = await tx.updateTable("phones").set(await values(tx)).where("id", "=", id).returning("id").executeTakeFirst();
      if (!done) throw notFound("This number is no longer registered.");
    });
  } catch (e) {
    throwRefusal(e, { forbidden: notAllowed });
  }
}

export async function removePhone(deps: TwilioDeps, actor: SessionActor, input: unknown): Promise<void> {
  allowed(actor);
  const v = parseInput(phoneRefSchema, input);
  try {
    await deps.db.asUser(actor.claims, async (tx) => {
      const done = await tx.deleteFrom("phones").where("id", "=", v.id).returning("id").executeTakeFirst();
      if (!done) throw notFound("This number is no longer registered.");
    });
  } catch (e) {
    throwRefusal(e, { forbidden: notAllowed });
  }
}
