// What Settings → Numbers shows, read under RLS. Credentials appear only as
// their last four characters (org_secrets.hint).
import type { Tx } from "@/lib/db";

export interface TwilioAccountRow {
  id: string;
  accountSid: string;
  friendlyName: string | null;
  authTokenHint: string;
  apiKeySid: string | null;
  apiKeySecretHint: string | null;
  status: "unknown" | "ok" | "failed";
  checkedAt: Date | null;
  checkError: string | null;
  createdAt: Date;
}

export interface PhoneRow {
  id: string;
  number: string;
  label: string;
  smsEnabled: boolean;
  voiceEnabled: boolean;
  defaultOwnerId: string | null;
  defaultOwnerName: string | null;
  /** A team instead of an owner: texts from strangers tell every member of it. */
  defaultTeamId: string | null;
  defaultTeamName: string | null;
  createdAt: Date;
  voice: PhoneVoice;
}

/** How the number answers calls, as Settings → Numbers edits it. */
export interface PhoneVoice {
  greeting: string;
  greetingUrl: string | null;
  forwardTimeoutSeconds: number;
  voicemailGreeting: string;
  voicemailMaxSeconds: number;
  afterHoursGreeting: string;
  businessHoursEnabled: boolean;
  timeZone: string;
  days: number[];
  /** "09:00" */
  opens: string;
  closes: string;
}

export async function getTwilioAccount(tx: Tx): Promise<TwilioAccountRow | null> {
  const row = await tx
    .selectFrom("twilio_accounts as a")
    .leftJoin("org_secrets as t", (j) => j.onRef("t.id", "=", "a.auth_token_secret_id").onRef("t.org_id", "=", "a.org_id"))
    .leftJoin("org_secrets as k", (j) => j.onRef("k.id", "=", "a.api_key_secret_id").onRef("k.org_id", "=", "a.org_id"))
    .select([
      "a.id",
      "a.account_sid",
      "a.friendly_name",
      "t.hint as token_hint",
      "a.api_key_sid",
      "k.hint as key_hint",
      "a.status",
      "a.checked_at",
      "a.check_error",
      "a.created_at",
    ])
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    accountSid: row.account_sid,
    friendlyName: row.friendly_name,
    authTokenHint: row.token_hint ?? "",
    apiKeySid: row.api_key_sid,
    apiKeySecretHint: row.api_key_sid ? (row.key_hint ?? "") : null,
    status: row.status as TwilioAccountRow["status"],
    checkedAt: row.checked_at,
    checkError: row.check_error,
    createdAt: row.created_at,
  };
}

export async function listPhones(tx: Tx): Promise<PhoneRow[]> {
  const rows = await tx
    .selectFrom("phones as p")
    .leftJoin("profiles as o", "o.user_id", "p.default_owner_id")
    .leftJoin("teams as t", "t.id", "p.default_team_id")
    .select([
      "p.id",
      "p.number",
      "p.label",
      "p.sms_enabled",
      "p.voice_enabled",
      "p.default_owner_id",
      "o.full_name",
      "p.default_team_id",
      "t.name as team_name",
      "p.created_at",
      "p.voice_greeting",
      "p.voice_greeting_url",
      "p.voice_forward_timeout_seconds",
      "p.voicemail_greeting",
      "p.voicemail_max_seconds",
      "p.after_hours_greeting",
      "p.business_hours_enabled",
      "p.business_time_zone",
      "p.business_days",
      "p.business_opens",
      "p.business_closes",
    ])
    .orderBy("p.created_at")
    .orderBy("p.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    label: r.label,
    smsEnabled: r.sms_enabled,
    voiceEnabled: r.voice_enabled,
    defaultOwnerId: r.default_owner_id,
    defaultOwnerName: r.full_name,
    defaultTeamId: r.default_team_id,
    defaultTeamName: r.team_name,
    createdAt: r.created_at,
    voice: {
      greeting: r.voice_greeting,
      greetingUrl: r.voice_greeting_url,
      forwardTimeoutSeconds: r.voice_forward_timeout_seconds,
      voicemailGreeting: r.voicemail_greeting,
      voicemailMaxSeconds: r.voicemail_max_seconds,
      afterHoursGreeting: r.after_hours_greeting,
      businessHoursEnabled: r.business_hours_enabled,
      timeZone: r.business_time_zone,
      days: r.business_days,
      opens: String(r.business_opens).slice(0, 5),
      closes: String(r.business_closes).slice(0, 5),
    },
  }));
}
