// A stand-in for Meta's Graph API, served by the embedded runtime on the
// local API at /meta-graph (META_GRAPH_URL points there) and by tests on a
// port of their own. It speaks Graph's wire format for what Covey calls:
//
//   GET  /v{n}/{leadgen_id}                 a lead (field_data, ad/adset/campaign/form ids, created_time)
//   GET  /v{n}/{page_id}                    a page's id and name
//   GET  /v{n}/{page_id}/leadgen_forms      the page's lead forms with their questions
//   GET  /v{n}/debug_token                  token introspection (asked with the app token `app_id|app_secret`)
//   POST /v{n}/{dataset_id}/events          Conversions API; every call is recorded
//   GET  /v{n}/act_{id}                     an ad account's name, currency and time zone
//   GET  /v{n}/act_{id}/insights            spend, impressions, clicks and leads per campaign per day, paged
//
// It checks page tokens and `appsecret_proof` as Meta does with "Require App
// Secret" on, and answers errors in Graph's shape. Playing the Facebook user
// and the test harness, it also takes (outside Graph's paths):
//
//   POST /_dev/leads      { page_id?, form_id, fields: { full_name, email, … } } → a new lead and the webhook body Meta would send (page: the form's)
//   POST /_dev/failures   { lead_fetch: true | false }  lead fetches answer 500 while on (retry tests)
//   POST /_dev/tokens     { token, page_id, expires_at?, is_valid?, scopes? }  another page token
//   GET  /_dev/events     the Conversions API calls received
//   POST /_dev/ad-accounts { account_id, name?, currency?, timezone_name?, token?, campaigns?, rows?, page_size? }
//                         another ad account (and a system-user token for it), or figures for one:
//                         `rows` replace the generated insights (a revision), `page_size` pages them
//   POST /_dev/failures   { insights: true | false }  insights answer 500 while on
import { createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { DEMO_AD_ACCOUNT, DEMO_FORMS, DEMO_META, SURROGACY_DEMO_FORMS, SURROGACY_DEMO_META } from "../../modules/meta/demo.ts";
import { type ServedStandIn, serveStandIn } from "./serve-stand-in.ts";

export { DEMO_AD_ACCOUNT, DEMO_FORMS, DEMO_META, SURROGACY_DEMO_FORMS, SURROGACY_DEMO_META } from "../../modules/meta/demo.ts";

interface Page {
  id: string;
  name: string;
  forms: { id: string; name: string; status: string; questions: { key: string; label: string; type: string; id: string }[] }[];
}

interface TokenInfo {
  /** The page a page token opens; none for a system user's token. */
  pageId: string;
  /** The ad accounts the token's user was given. */
  adAccounts?: string[];
  isValid: boolean;
  expiresAt: number;
  scopes: string[];
}

export interface InsightsRow {
  campaign_id: string;
  campaign_name: string;
  spend: string;
  impressions: string;
  clicks: string;
  actions?: { action_type: string; value: string }[];
  date_start: string;
  date_stop: string;
}

interface AdAccount {
  id: string;
  name: string;
  currency: string;
  timezone_name: string;
  campaigns: { id: string; name: string }[];
  /** Figures set by a test; else made up per campaign and day. */
  rows: InsightsRow[] | null;
  pageSize: number;
}

interface StoredLead {
  id: string;
  created_time: string;
  ad_id: string;
  ad_name: string;
  adset_id: string;
  campaign_id: string;
  campaign_name: string;
  form_id: string;
  page_id: string;
  is_organic: boolean;
  platform: string;
  field_data: { name: string; values: string[] }[];
}

export interface MetaGraphStandIn {
  handle(req: Request): Promise<Response>;
  /** Conversions API calls received, newest last. */
  events: { datasetId: string; body: unknown; at: string }[];
  leads: Map<string, StoredLead>;
  failLeadFetches: boolean;
  failInsights: boolean;
  /** Insights requests served, newest last (their time ranges and pages). */
  insightsCalls: { accountId: string; since: string; until: string; after: string | null }[];
}

/** Plausible figures for a campaign's day, the same on every import (a re-import finds what it stored). */
function madeUpDay(accountId: string, campaign: { id: string; name: string }, day: string, index: number): InsightsRow {
  const seed = (Number(day.replaceAll("-", "")) + Number(campaign.id.slice(-6)) * 7 + accountId.length) % 97;
  const cents = 4200 + index * 2600 + seed * 37;
  const impressions = Math.round(cents * 0.9) + seed * 11;
  const clicks = Math.round(impressions / 70) + (seed % 9);
  const leads = 1 + ((seed + index) % 4);
  return {
    campaign_id: campaign.id,
    campaign_name: campaign.name,
    spend: (cents / 100).toFixed(2),
    impressions: String(impressions),
    clicks: String(clicks),
    actions: [
      { action_type: "link_click", value: String(clicks) },
      { action_type: "lead", value: String(leads) },
      { action_type: "onsite_conversion.lead_grouped", value: String(leads) },
    ],
    date_start: day,
    date_stop: day,
  };
}


function graphError(status: number, message: string, code: number, type = "OAuthException", subcode?: number): Response {
  return Response.json(
    { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: `A${randomInt(1e9, 9e9)}` } },
    { status },
  );
}

function metaTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "+0000");
}

/** Graph ids are decimal strings; the stand-in makes them 15 digits like Meta's. */
function newId(prefix: string): string {
  return `${prefix}${String(randomInt(0, 1e9)).padStart(9, "0")}${String(randomInt(0, 1e5)).padStart(5, "0")}`;
}

export function createMetaGraphStandIn(opts: { appId: string; appSecret: string; prefix?: string }): MetaGraphStandIn {
  const prefix = opts.prefix ?? "";
  const pages = new Map<string, Page>([
    [
      DEMO_META.pageId,
      {
        id: DEMO_META.pageId,
        name: DEMO_META.pageName,
        forms: DEMO_FORMS.map((f) => ({ ...f, questions: [...f.questions] })),
      },
    ],
    [
      SURROGACY_DEMO_META.pageId,
      {
        id: SURROGACY_DEMO_META.pageId,
        name: SURROGACY_DEMO_META.pageName,
        forms: SURROGACY_DEMO_FORMS.map((f) => ({ ...f, questions: [...f.questions] })),
      },
    ],
  ]);
  const tokens = new Map<string, TokenInfo>([
    [DEMO_META.token, { pageId: DEMO_META.pageId, isValid: true, expiresAt: 0, scopes: ["leads_retrieval", "pages_show_list", "pages_manage_metadata", "ads_management"] }],
    [SURROGACY_DEMO_META.token, { pageId: SURROGACY_DEMO_META.pageId, isValid: true, expiresAt: 0, scopes: ["leads_retrieval", "pages_show_list", "pages_manage_metadata"] }],
    [DEMO_AD_ACCOUNT.token, { pageId: "", adAccounts: [DEMO_AD_ACCOUNT.accountId], isValid: true, expiresAt: 0, scopes: ["ads_read"] }],
  ]);
  const adAccounts = new Map<string, AdAccount>([
    [
      DEMO_AD_ACCOUNT.accountId,
      {
        id: DEMO_AD_ACCOUNT.accountId,
        name: DEMO_AD_ACCOUNT.name,
        currency: DEMO_AD_ACCOUNT.currency,
        timezone_name: DEMO_AD_ACCOUNT.timeZone,
        campaigns: DEMO_AD_ACCOUNT.campaigns.map((c) => ({ ...c })),
        rows: null,
        pageSize: 500,
      },
    ],
  ]);
  const state: MetaGraphStandIn = {
    events: [],
    leads: new Map(),
    failLeadFetches: false,
    failInsights: false,
    insightsCalls: [],
    handle,
  };

  function proofOk(token: string, proof: string | null): boolean {
    if (!proof) return false;
    const want = createHmac("sha256", opts.appSecret).update(token).digest();
    const given = Buffer.from(proof, "hex");
    return given.length === want.length && timingSafeEqual(given, want);
  }

  /** The page a request's token opens, or Meta's error for the token. */
  function authorize(url: URL): TokenInfo | Response {
    const token = url.searchParams.get("access_token");
    if (!token) return graphError(400, "An active access token must be used to query information about the current user.", 2500);
    const info = tokens.get(token);
    if (!info) return graphError(400, "Invalid OAuth access token - Cannot parse access token", 190);
    if (!proofOk(token, url.searchParams.get("appsecret_proof"))) {
      return graphError(400, "Invalid appsecret_proof provided in the API argument", 100, "GraphMethodException");
    }
    if (!info.isValid || (info.expiresAt && info.expiresAt * 1000 < Date.now())) {
      return graphError(400, "Error validating access token: Session has expired.", 190, "OAuthException", 463);
    }
    return info;
  }

  async function dev(req: Request, path: string): Promise<Response> {
    if (path === "/_dev/leads" && req.method === "POST") {
      const body = (await req.json()) as { page_id?: string; form_id?: string; fields?: Record<string, string> };
      const formId = body.form_id ?? DEMO_META.formId;
      // Without a page, the page whose form it is (as a person fills in a form, not a page).
      const page = body.page_id ? pages.get(body.page_id) : [...pages.values()].find((p) => p.forms.some((f) => f.id === formId));
      const form = page?.forms.find((f) => f.id === formId);
      if (!page || !form) return Response.json({ error: "unknown page or form" }, { status: 404 });
      const now = new Date();
      const lead: StoredLead = {
        id: newId("8"),
        created_time: metaTime(now),
        ad_id: "120200000000000101",
        ad_name: "Demo ad: free consultation",
        adset_id: "120200000000000201",
        campaign_id: "120200000000000301",
        campaign_name: "Demo campaign",
        form_id: form.id,
        page_id: page.id,
        is_organic: false,
        platform: "fb",
        field_data: Object.entries(body.fields ?? {})
          .filter(([, v]) => v !== undefined && v !== "")
          .map(([name, value]) => ({ name, values: [String(value)] })),
      };
      state.leads.set(lead.id, lead);
      const created = Math.floor(now.getTime() / 1000);
      return Response.json({
        leadgen_id: lead.id,
        webhook: {
          object: "page",
          entry: [
            {
              id: page.id,
              time: created,
              changes: [
                {
                  field: "leadgen",
                  value: { ad_id: lead.ad_id, form_id: form.id, leadgen_id: lead.id, created_time: created, page_id: page.id, adgroup_id: lead.adset_id },
                },
              ],
            },
          ],
        },
      });
    }
    if (path === "/_dev/failures" && req.method === "POST") {
      const body = (await req.json()) as { lead_fetch?: boolean; insights?: boolean };
      if (body.lead_fetch !== undefined) state.failLeadFetches = body.lead_fetch;
      if (body.insights !== undefined) state.failInsights = body.insights;
      return Response.json({ lead_fetch: state.failLeadFetches, insights: state.failInsights });
    }
    if (path === "/_dev/ad-accounts" && req.method === "POST") {
      const body = (await req.json()) as {
        account_id: string;
        name?: string;
        currency?: string;
        timezone_name?: string;
        token?: string;
        campaigns?: { id: string; name: string }[];
        rows?: InsightsRow[] | null;
        page_size?: number;
      };
      if (!/^act_[0-9]+$/.test(body.account_id ?? "")) return Response.json({ error: "account_id is act_<digits>" }, { status: 400 });
      const account = adAccounts.get(body.account_id) ?? {
        id: body.account_id,
        name: `Ad account ${body.account_id.slice(4)}`,
        currency: "USD",
        timezone_name: "America/New_York",
        campaigns: [],
        rows: null,
        pageSize: 500,
      };
      if (body.name) account.name = body.name;
      if (body.currency) account.currency = body.currency;
      if (body.timezone_name) account.timezone_name = body.timezone_name;
      if (body.campaigns) account.campaigns = body.campaigns;
      if (body.rows !== undefined) account.rows = body.rows;
      if (body.page_size) account.pageSize = body.page_size;
      adAccounts.set(account.id, account);
      if (body.token) {
        const known = tokens.get(body.token);
        if (known) known.adAccounts = [...new Set([...(known.adAccounts ?? []), account.id])];
        else tokens.set(body.token, { pageId: "", adAccounts: [account.id], isValid: true, expiresAt: 0, scopes: ["ads_read"] });
      }
      return Response.json({ ok: true });
    }
    if (path === "/_dev/tokens" && req.method === "POST") {
      const body = (await req.json()) as { token: string; page_id: string; page_name?: string; expires_at?: number; is_valid?: boolean; scopes?: string[] };
      if (body.page_id && !pages.has(body.page_id)) pages.set(body.page_id, { id: body.page_id, name: body.page_name ?? `Page ${body.page_id}`, forms: [] });
      const known = tokens.get(body.token);
      tokens.set(body.token, {
        ...known,
        pageId: body.page_id ?? known?.pageId ?? "",
        isValid: body.is_valid ?? true,
        expiresAt: body.expires_at ?? 0,
        scopes: body.scopes ?? known?.scopes ?? ["leads_retrieval", "pages_show_list", "pages_manage_metadata"],
      });
      return Response.json({ ok: true });
    }
    if (path === "/_dev/events" && req.method === "GET") return Response.json({ data: state.events });
    return Response.json({ error: "not found" }, { status: 404 });
  }

  /** An account's campaign insights per day in the requested range, paged by `after` cursors as Meta pages them. */
  function insights(url: URL, req: Request, account: AdAccount): Response {
    if (state.failInsights) return graphError(500, "An unknown error occurred", 1, "OAuthException");
    if (url.searchParams.get("level") !== "campaign" || url.searchParams.get("time_increment") !== "1") {
      return graphError(400, "(#100) The stand-in serves level=campaign with time_increment=1 only", 100);
    }
    const range = JSON.parse(url.searchParams.get("time_range") ?? "{}") as { since?: string; until?: string };
    if (!range.since || !range.until || range.since > range.until) return graphError(400, "(#100) time_range must have since <= until", 100);
    const after = url.searchParams.get("after");
    state.insightsCalls.push({ accountId: account.id, since: range.since, until: range.until, after });
    let all: InsightsRow[];
    if (account.rows) all = account.rows.filter((r) => r.date_start >= range.since! && r.date_start <= range.until!);
    else {
      all = [];
      for (let d = new Date(`${range.since}T00:00:00Z`); d <= new Date(`${range.until}T00:00:00Z`); d = new Date(d.getTime() + 86400_000)) {
        const day = d.toISOString().slice(0, 10);
        account.campaigns.forEach((c, i) => all.push(madeUpDay(account.id, c, day, i)));
      }
    }
    const size = Math.min(Number(url.searchParams.get("limit") ?? 25) || 25, account.pageSize);
    const start = after ? Number(Buffer.from(after, "base64url").toString()) : 0;
    const data = all.slice(start, start + size);
    const cursor = (n: number) => Buffer.from(String(n)).toString("base64url");
    const paging: { cursors: { before: string; after: string }; next?: string } = { cursors: { before: cursor(start), after: cursor(start + data.length) } };
    if (start + data.length < all.length) {
      const next = new URL(req.url);
      next.searchParams.set("after", cursor(start + data.length));
      paging.next = next.toString();
    }
    return Response.json({ data, paging });
  }

  async function handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname.slice(prefix.length) || "/";
    if (path.startsWith("/_dev/")) return dev(req, path);
    const m = /^\/v\d+\.\d+\/(.+)$/.exec(path);
    if (!m) return graphError(400, "Unknown path components", 2500);
    const parts = m[1].split("/").map(decodeURIComponent);

    if (parts[0] === "debug_token" && parts.length === 1 && req.method === "GET") {
      if (url.searchParams.get("access_token") !== `${opts.appId}|${opts.appSecret}`) {
        return graphError(400, "Invalid OAuth access token signature.", 190);
      }
      const input = url.searchParams.get("input_token") ?? "";
      const info = tokens.get(input);
      if (!info) {
        return Response.json({ data: { is_valid: false, error: { code: 190, message: "Invalid OAuth access token - Cannot parse access token" }, scopes: [] } });
      }
      const expired = info.expiresAt !== 0 && info.expiresAt * 1000 < Date.now();
      return Response.json({
        data: {
          app_id: opts.appId,
          type: "PAGE",
          application: "Covey (local)",
          data_access_expires_at: Math.floor(Date.now() / 1000) + 90 * 86400,
          expires_at: info.expiresAt,
          is_valid: info.isValid && !expired,
          issued_at: Math.floor(Date.now() / 1000) - 86400,
          profile_id: info.pageId,
          scopes: info.scopes,
          ...(expired ? { error: { code: 190, subcode: 463, message: "Error validating access token: Session has expired." } } : {}),
        },
      });
    }

    const auth = authorize(url);
    if (auth instanceof Response) return auth;

    if (parts.length === 2 && parts[1] === "events" && req.method === "POST") {
      const body = await req.json().catch(() => null);
      const data = (body as { data?: unknown[] } | null)?.data;
      if (!Array.isArray(data) || data.length === 0) return graphError(400, "Invalid parameter", 100, "OAuthException");
      state.events.push({ datasetId: parts[0], body, at: new Date().toISOString() });
      return Response.json({ events_received: data.length, messages: [], fbtrace_id: `A${randomInt(1e9, 9e9)}` });
    }

    if (req.method !== "GET") return graphError(400, "Unsupported request - method type", 100, "GraphMethodException");

    if (parts[0].startsWith("act_") && parts.length <= 2) {
      const account = adAccounts.get(parts[0]);
      if (!account || !auth.adAccounts?.includes(account.id)) {
        return graphError(400, `Unsupported get request. Object with ID '${parts[0]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 100, "GraphMethodException", 33);
      }
      if (!auth.scopes.includes("ads_read") && !auth.scopes.includes("ads_management")) {
        return graphError(400, "(#200) Ad account owner has NOT grant ads_management or ads_read permission", 200);
      }
      if (parts.length === 1) {
        return Response.json({ id: account.id, name: account.name, currency: account.currency, timezone_name: account.timezone_name, account_status: 1 });
      }
      if (parts[1] === "insights") return insights(url, req, account);
    }

    if (parts.length === 2 && parts[1] === "leadgen_forms") {
      const page = pages.get(parts[0]);
      if (!page || auth.pageId !== page.id) {
        return graphError(400, `Unsupported get request. Object with ID '${parts[0]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 100, "GraphMethodException", 33);
      }
      return Response.json({ data: page.forms, paging: { cursors: { before: "QVFIU", after: "QVFIU" } } });
    }

    if (parts.length === 1) {
      const page = pages.get(parts[0]);
      if (page) {
        if (auth.pageId !== page.id) return graphError(400, "(#10) Requires pages_read_engagement permission to manage the object", 10);
        return Response.json({ id: page.id, name: page.name });
      }
      const lead = state.leads.get(parts[0]);
      if (lead) {
        if (state.failLeadFetches) return graphError(500, "An unknown error occurred", 1, "OAuthException");
        if (auth.pageId !== lead.page_id) return graphError(400, "(#200) Requires leads_retrieval permission", 200);
        const fields = (url.searchParams.get("fields") ?? "id,created_time,field_data").split(",");
        const { page_id: _page, ...shape } = lead;
        return Response.json(Object.fromEntries(Object.entries(shape).filter(([k]) => fields.includes(k))));
      }
    }
    return graphError(
      400,
      `Unsupported get request. Object with ID '${parts.join("/")}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      100,
      "GraphMethodException",
      33,
    );
  }

  return state;
}

/** Serves the stand-in on its own loopback port (tests). */
export function serveMetaGraph(standIn: MetaGraphStandIn, port = 0): Promise<ServedStandIn> {
  return serveStandIn(standIn, port);
}
