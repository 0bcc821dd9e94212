// What Settings → Integrations reads, in the caller's transaction under RLS:
// health and alerts are visible to owners and admins only, and only their
// org's. Webhook and job health come from those modules' own tables (their
// deliveries and attempts already say how each call went); the others from
// integration_health, which their adapters record into.

import { sql, type Tx } from "@/lib/db";
import { type AlertView, INTEGRATIONS, type IntegrationKey, type Severity } from "./registry";

/** Snoozed alerts whose time has come count as open again. */
const effectiveStatus = sql<string>`case when a.status = 'snoozed' and a.snoozed_until <= now() then 'open' else a.status end`;

export type AlertStatus = "open" | "acknowledged" | "snoozed" | "resolved";

export interface AlertItem {
  id: number;
  integration: string;
  account: string;
  severity: Severity;
  title: string;
  detail: string | null;
  first_seen: string;
  last_seen: string;
  count: number;
  status: AlertStatus;
  snoozed_until: string | null;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_at: string | null;
}

const ALERT_LIMIT = 200;

/** active: open and acknowledged; snoozed: still snoozed; resolved: the latest resolved. */
export async function listAlerts(tx: Tx, view: AlertView = "active"): Promise<AlertItem[]> {
  const where =
    view === "active"
      ? sql`${effectiveStatus} in ('open', 'acknowledged')`
      : view === "snoozed"
        ? sql`${effectiveStatus} = 'snoozed'`
        : sql`a.status = 'resolved'`;
  const order = view === "resolved" ? sql`a.resolved_at desc` : sql`(${effectiveStatus} = 'open') desc, a.last_seen desc`;
  const { rows } = await sql<{
    id: string;
    integration: string;
    account: string;
    severity: Severity;
    title: string;
    detail: string | null;
    first_seen: Date;
    last_seen: Date;
    count: number;
    status: AlertStatus;
    snoozed_until: Date | null;
    acknowledged_by: string | null;
    acknowledged_at: Date | null;
    resolved_at: Date | null;
  }>`
    select a.id, a.integration, a.account, a.severity, a.title, a.detail, a.first_seen, a.last_seen, a.count,
           ${effectiveStatus} as status, a.snoozed_until,
           coalesce(nullif(btrim(p.full_name), ''), p.email::text) as acknowledged_by, a.acknowledged_at, a.resolved_at
    from integration_alerts a
    left join profiles p on p.user_id = a.acknowledged_by
    where ${where}
    order by ${order}, a.id desc
    limit ${ALERT_LIMIT}`.execute(tx);
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return rows.map((r) => ({
    ...r,
    id: Number(r.id),
    first_seen: r.first_seen.toISOString(),
    last_seen: r.last_seen.toISOString(),
    snoozed_until: r.status === "snoozed" ? iso(r.snoozed_until) : null,
    acknowledged_at: iso(r.acknowledged_at),
    resolved_at: iso(r.resolved_at),
  }));
}

/** Alerts nobody has acknowledged, snoozed or resolved: the badge's count. */
export async function openAlertCount(tx: Tx): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    select count(*) as n from integration_alerts a where a.status <> 'resolved' and ${effectiveStatus} = 'open'`.execute(tx);
  return Number(rows[0].n);
}

export type Configuration = "configured" | "missing" | "expiring" | "expired";
export type HealthStatus = "healthy" | "failing" | "not_set_up" | "idle";

export interface AccountHealth {
  account: string;
  /** What the account is called where Covey knows (a page's name, an endpoint's URL). */
  name: string | null;
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  errors_24h: number;
}

export interface IntegrationHealth {
  key: IntegrationKey;
  status: HealthStatus;
  configuration: Configuration;
  /** Says what is set up ("2 pages", "3 endpoints") or what is missing. */
  configuration_note: string;
  last_success_at: string | null;
  last_error_at: string | null;
  last_error: string | null;
  errors_24h: number;
  open_alerts: number;
  accounts: AccountHealth[];
}

interface HealthRow {
  integration: string;
  account: string;
  name: string | null;
  last_success_at: Date | null;
  last_error_at: Date | null;
  last_error: string | null;
  errors_24h: string | number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Health per integration and account, with what is configured and the open alerts of each. */
export async function integrationOverview(tx: Tx): Promise<IntegrationHealth[]> {
  const [recorded, webhooks, jobs, config, alerts] = await Promise.all([
    sql<HealthRow>`
      select h.integration, h.account, coalesce(mp.name, ma.name, wf.name, pa.name) as name, h.last_success_at, h.last_error_at, h.last_error,
             (select count(*) from integration_errors e
               where e.org_id = h.org_id and e.integration = h.integration and e.account = h.account
                 and e.occurred_at > now() - interval '24 hours') as errors_24h
      from integration_health h
      left join meta_pages mp on h.integration = 'meta' and mp.page_id = h.account
      left join web_forms wf on h.integration = 'web_forms' and wf.key = h.account
      left join partners pa on h.integration = 'partners' and pa.id::text = h.account
      left join meta_ad_accounts ma on h.integration = 'meta' and ma.account_id = h.account
      order by h.integration, h.account`.execute(tx),
    // A 2xx answer without a transport error is a delivered attempt (as on the webhooks pages).
    sql<HealthRow>`
      select 'webhooks' as integration, e.id::text as account, e.url as name,
             max(a.started_at) filter (where a.error is null and a.status_code between 200 and 299) as last_success_at,
             max(a.started_at) filter (where not (a.error is null and a.status_code between 200 and 299)) as last_error_at,
             (array_agg(coalesce(a.error, 'HTTP ' || a.status_code) order by a.started_at desc)
                filter (where not (a.error is null and a.status_code between 200 and 299)))[1] as last_error,
             count(*) filter (where not (a.error is null and a.status_code between 200 and 299)
                                and a.started_at > now() - interval '24 hours') as errors_24h
      from webhook_endpoints e
      left join webhook_attempts a on a.endpoint_id = e.id and a.started_at > now() - interval '7 days'
      group by e.id, e.url, e.created_at
      order by e.created_at`.execute(tx),
    sql<HealthRow>`
      select 'jobs' as integration, j.kind as account, null as name,
             max(a.finished_at) filter (where a.outcome = 'succeeded') as last_success_at,
             max(a.finished_at) filter (where a.outcome in ('failed', 'lost')) as last_error_at,
             (array_agg(a.error order by a.finished_at desc) filter (where a.outcome in ('failed', 'lost')))[1] as last_error,
             count(*) filter (where a.outcome in ('failed', 'lost') and a.started_at > now() - interval '24 hours') as errors_24h
      from job_attempts a join jobs j on j.id = a.job_id
      where a.org_id is not null and a.started_at > now() - interval '7 days'
      group by j.kind
      order by j.kind`.execute(tx),
    sql<{
      meta_pages: string;
      meta_ad_accounts: string;
      meta_expired: string;
      meta_expiring: string;
      web_forms: string;
      endpoints: string;
      partner_webhooks: string;
      twilio_accounts: string;
      twilio_failed: string;
      phones: string;
    }>`
      select (select count(*) from meta_pages) as meta_pages,
             (select count(*) from meta_ad_accounts) as meta_ad_accounts,
             (select count(*) from meta_pages where token_status in ('expired', 'invalid')) as meta_expired,
             (select count(*) from meta_pages where token_status = 'expiring') as meta_expiring,
             (select count(*) from web_forms) as web_forms,
             (select count(*) from webhook_endpoints) as endpoints,
             (select count(*) from partners where channel <> 'email') as partner_webhooks,
             (select count(*) from twilio_accounts) as twilio_accounts,
             (select count(*) from twilio_accounts where status = 'failed') as twilio_failed,
             (select count(*) from phones) as phones`.execute(tx),
    sql<{ integration: string; n: string }>`
      select a.integration, count(*) as n from integration_alerts a
      where a.status <> 'resolved' and ${effectiveStatus} in ('open', 'acknowledged')
      group by a.integration`.execute(tx),
  ]);

  const c = config.rows[0];
  const n = (v: string) => Number(v);
  const configurations: Record<IntegrationKey, [Configuration, string]> = {
    meta:
      n(c.meta_pages) === 0
        ? ["missing", "No page connected"]
        : n(c.meta_expired) > 0
          ? ["expired", `${plural(n(c.meta_expired), "page token")} expired or revoked`]
          : n(c.meta_expiring) > 0
            ? ["expiring", `${plural(n(c.meta_expiring), "page token")} expiring within 7 days`]
            : ["configured", `${plural(n(c.meta_pages), "page")}${n(c.meta_ad_accounts) ? ` and ${plural(n(c.meta_ad_accounts), "ad account")}` : ""} connected`],
    web_forms: n(c.web_forms) === 0 ? ["missing", "No form yet"] : ["configured", plural(n(c.web_forms), "form")],
    twilio:
      n(c.twilio_accounts) === 0
        ? ["missing", "Not connected"]
        : n(c.twilio_failed) > 0
          ? ["expired", "Twilio refused the stored credentials"]
          : ["configured", `Connected, ${plural(n(c.phones), "number")}`],
    gmail: ["missing", "Not connected"],
    webhooks: n(c.endpoints) === 0 ? ["missing", "No endpoint yet"] : ["configured", plural(n(c.endpoints), "endpoint")],
    jobs: ["configured", "Built in"],
    partners:
      n(c.partner_webhooks) === 0 ? ["missing", "No partner takes offers by webhook"] : ["configured", plural(n(c.partner_webhooks), "partner webhook")],
  };
  const openAlerts = new Map(alerts.rows.map((r) => [r.integration, Number(r.n)]));
  const rows = [...recorded.rows, ...webhooks.rows, ...jobs.rows];
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const latest = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a > b ? a : b);

  return INTEGRATIONS.map(({ key }) => {
    const mine = rows.filter((r) => r.integration === key);
    let lastSuccess: Date | null = null;
    let lastError: Date | null = null;
    let lastErrorText: string | null = null;
    for (const r of mine) {
      lastSuccess = latest(lastSuccess, r.last_success_at);
      if (r.last_error_at && (!lastError || r.last_error_at > lastError)) {
        lastError = r.last_error_at;
        lastErrorText = r.last_error;
      }
    }
    const [configuration, note] = configurations[key];
    const errors24h = mine.reduce((sum, r) => sum + Number(r.errors_24h), 0);
    const alertsOpen = openAlerts.get(key) ?? 0;
    const failing =
      configuration === "expired" || alertsOpen > 0 || mine.some((r) => r.last_error_at && (!r.last_success_at || r.last_error_at > r.last_success_at));
    const status: HealthStatus =
      configuration === "missing" && mine.length === 0 && alertsOpen === 0
        ? "not_set_up"
        : failing
          ? "failing"
          : lastSuccess
            ? "healthy"
            : "idle";
    return {
      key,
      status,
      configuration,
      configuration_note: note,
      last_success_at: iso(lastSuccess),
      last_error_at: iso(lastError),
      last_error: lastErrorText,
      errors_24h: errors24h,
      open_alerts: alertsOpen,
      accounts: mine
        .filter((r) => r.account !== "")
        .map((r) => ({
          account: r.account,
          name: r.name,
          last_success_at: iso(r.last_success_at),
          last_error_at: iso(r.last_error_at),
          last_error: r.last_error,
          errors_24h: Number(r.errors_24h),
        })),
    };
  });
}
