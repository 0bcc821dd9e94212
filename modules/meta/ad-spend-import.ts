// The `meta.import_ad_spend` job: one ad account's spend per campaign and
// day for the last `days` days of the account's own calendar, fetched from
// the Graph API's insights (level=campaign, time_increment=1, every page)
// and written in one statement: each campaign's day upserted, and a day in
// the range that Meta no longer reports for a campaign removed, since Meta
// revises recent days and the import is its latest word on them.
//
// The daily `meta.schedule_ad_spend` job queues one import of 7 days per
// enabled account; connecting an account queues a 30-day backfill
// (migration 20261207190000).
//
// Meta down or throttling → the job throws: retried with backoff, then
// dead-lettered, which raises the jobs alert. A token Meta refuses (expired,
// revoked, no ads_read) → an integration alert `meta:ads_token:<act id>`
// like the page-token check's, resolved by the next import that works; the
// job ends there, since retrying the same token cannot help. Every outcome
// is recorded in the Meta card's health under the account's id.
// Web-standard: the jobs Edge Function runs it.
import { type Keyring, openSecret, parseKeyring, SecretDecryptError } from "../../lib/crypto/envelope.ts";
import { type JobHandler, PermanentJobError } from "../jobs/edge.ts";
import { type CampaignSpend, GraphError, graphClient, metaConfig } from "./graph.ts";

export const IMPORT_AD_SPEND_JOB = "meta.import_ad_spend";
export const SCHEDULE_AD_SPEND_JOB = "meta.schedule_ad_spend";
export const DAILY_IMPORT_DAYS = 7;
export const BACKFILL_DAYS = 30;
const MAX_DAYS = 90;

export const adsTokenPurpose = (accountId: string) => `meta.ads_token:${accountId}`;
export const adsTokenAlert = (accountId: string) => `meta:ads_token:${accountId}`;

/** The calendar day `at` falls on in `zone` (YYYY-MM-DD); UTC's if the zone is unknown here. */
export function dayIn(zone: string, at: Date): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The last `days` days of the account's calendar, today included: Meta reports today's spend so far. */
export function importRange(zone: string, days: number, now = new Date()): { since: string; until: string } {
  const until = dayIn(zone, now);
  return { since: addDays(until, 1 - days), until };
}

export interface SpendRow {
  campaign_id: string;
  campaign_name: string;
  date: string;
  spend: string;
  impressions: number;
  clicks: number;
  leads: number;
}

const count = (v: string | undefined) => (v && /^[0-9]{1,15}$/.test(v) ? Number(v) : 0);

/** Meta's rows as ours, one per campaign and day (a repeat keeps the last); a row without a campaign or day is Meta's bug, refused. */
export function spendRows(rows: CampaignSpend[]): SpendRow[] {
  const out = new Map<string, SpendRow>();
  for (const r of rows) {
    if (!/^[0-9]{1,30}$/.test(r.campaign_id ?? "") || !/^\d{4}-\d{2}-\d{2}$/.test(r.date_start ?? "")) {
      throw new PermanentJobError(`Meta returned an insights row without a campaign id or day (campaign ${String(r.campaign_id).slice(0, 40)})`);
    }
    const spend = /^[0-9]{1,15}(\.[0-9]+)?$/.test(r.spend ?? "") ? r.spend : "0";
    const leadAction = r.actions?.find((a) => a.action_type === "lead") ?? r.actions?.find((a) => a.action_type === "onsite_conversion.lead_grouped");
    out.set(`${r.campaign_id}:${r.date_start}`, {
      campaign_id: r.campaign_id,
      campaign_name: (r.campaign_name ?? "").slice(0, 400),
      date: r.date_start,
      spend,
      impressions: count(r.impressions),
      clicks: count(r.clicks),
      leads: count(leadAction?.value),
    });
  }
  return [...out.values()];
}

interface Payload {
  accountId: string;
  days: number;
}

function payloadOf(payload: unknown): Payload {
  const p = payload as Partial<Payload> | null;
  if (!p || typeof p.accountId !== "string" || !/^[0-9a-f-]{36}$/.test(p.accountId)) {
    throw new PermanentJobError("The job's payload names no ad account");
  }
  const days = Number.isInteger(p.days) && p.days! >= 1 ? Math.min(p.days!, MAX_DAYS) : DAILY_IMPORT_DAYS;
  return { accountId: p.accountId, days };
}

// Parsed once per key spec: importing the keys is the costly part of opening a token.
let keyringCache: { spec: string; keyring: Promise<Keyring> } | null = null;
function keyringOf(spec: string): Promise<Keyring> {
  if (keyringCache?.spec !== spec) keyringCache = { spec, keyring: parseKeyring(spec) };
  return keyringCache.keyring;
}

/** Upserts the range's rows and removes the campaign days Meta no longer reports, in one statement. */
const WRITE = `
  with incoming as (
    select * from jsonb_to_recordset($3::text::jsonb)
      as r(campaign_id text, campaign_name text, date date, spend numeric, impressions bigint, clicks bigint, leads int)
  ), upserted as (
    insert into public.meta_ad_spend as s (org_id, ad_account_id, campaign_id, campaign_name, date, spend, impressions, clicks, leads, imported_at)
    select $1::uuid, $2::uuid, i.campaign_id, i.campaign_name, i.date, round(i.spend, 2), i.impressions, i.clicks, i.leads, now() from incoming i
    on conflict (org_id, ad_account_id, campaign_id, date) do update
      set campaign_name = excluded.campaign_name, spend = excluded.spend, impressions = excluded.impressions,
          clicks = excluded.clicks, leads = excluded.leads, imported_at = excluded.imported_at
    returning 1
  ), removed as (
    delete from public.meta_ad_spend s
     where s.org_id = $1::uuid and s.ad_account_id = $2::uuid and s.date between $4::date and $5::date
       and not exists (select 1 from incoming i where i.campaign_id = s.campaign_id and i.date = s.date)
    returning 1
  )
  update public.meta_ad_accounts a
     set last_import_at = now(), last_import_status = 'ok', last_import_error = null
   where a.id = $2 and a.org_id = $1
  returning (select count(*) from upserted)::int as upserted, (select count(*) from removed)::int as removed`;

export const importAdSpend: JobHandler = async (job, ctx) => {
  const { accountId, days } = payloadOf(job.payload);
  const [account] = await ctx.sql.unsafe(
    `select a.id, a.org_id, a.account_id, a.name, a.time_zone, s.secret
     from public.meta_ad_accounts a join public.org_secrets s on s.id = a.token_secret_id and s.org_id = a.org_id
     where a.id = $1 and a.org_id = $2`,
    [accountId, job.orgId],
  );
  // Disconnected since the job was queued: nothing left to import into.
  if (!account) return;
  const orgId = account.org_id as string;
  const act = account.account_id as string;

  const record = (ok: boolean, error: string | null) =>
    ctx.sql.unsafe("select private.record_integration_result($1, 'meta', $2, $3, $4)", [orgId, act, ok, error]);
  const failed = async (error: string) => {
    await ctx.sql.unsafe(
      "update public.meta_ad_accounts set last_import_at = now(), last_import_status = 'failed', last_import_error = $3 where id = $1 and org_id = $2",
      [accountId, orgId, error.slice(0, 500)],
    );
    await record(false, error);
  };
  const tokenRefused = async (why: string) => {
    await failed(`The ad account's token no longer works: ${why}`);
    await ctx.sql.unsafe("select private.raise_alert($1, 'meta', $2, $3, 'critical', $4, $5)", [
      orgId,
      act,
      adsTokenAlert(act),
      `Meta ad spend of ${account.name} cannot be imported`,
      `${why}. Connect the ad account again in Settings → Integrations → Meta with a token that has ads_read.`,
    ]);
  };

  let token: string;
  try {
    token = await openSecret(await keyringOf(ctx.env("COVEY_SECRET_KEYS")), account.secret as string, { orgId, purpose: adsTokenPurpose(act) });
  } catch (e) {
    if (!(e instanceof SecretDecryptError)) throw e;
    return tokenRefused("The stored token cannot be decrypted with this deployment's keys");
  }

  const range = importRange(account.time_zone as string, days);
  let rows: SpendRow[];
  try {
    rows = spendRows(await graphClient(metaConfig((n) => ctx.env(n) || undefined), ctx.fetch).campaignSpend(act, token, range));
  } catch (e) {
    if (e instanceof GraphError && e.tokenProblem) return tokenRefused(e.message);
    if (e instanceof GraphError && e.transient) {
      await failed(`Meta could not be reached: ${e.message}`);
      throw e;
    }
    if (e instanceof GraphError || e instanceof PermanentJobError) {
      await failed(`Meta refused the insights request: ${e.message}`);
      throw new PermanentJobError(`Meta refused the insights of ${act} (${e instanceof GraphError ? (e.code ?? e.status) : "bad row"}): ${e.message}`);
    }
    throw e;
  }

  await ctx.sql.unsafe(WRITE, [orgId, accountId, JSON.stringify(rows), range.since, range.until]);
  await record(true, null);
  await ctx.sql.unsafe("select private.resolve_alert($1, $2)", [orgId, adsTokenAlert(act)]);
};

/** The daily run: one import of the last 7 days per enabled account, each an org's own job (retried and alerted per org). */
export const scheduleAdSpendImports: JobHandler = async (job, ctx) => {
  await ctx.sql.unsafe(
    `select private.enqueue_job($1, jsonb_build_object('accountId', a.id, 'days', $2::int), a.org_id, format('ad-spend:%s:daily@%s', a.id, $3::text))
     from public.meta_ad_accounts a where a.enabled order by a.id`,
    [IMPORT_AD_SPEND_JOB, DAILY_IMPORT_DAYS, job.id],
  );
};
