// The one way Covey talks to Meta's Graph API: lead fetches, a page's lead
// forms, token checks, Conversions API events and ad insights. Plain fetch
// and WebCrypto, so the app (Node) and the Edge Functions and jobs (Deno)
// share it; Meta publishes no SDK that runs small in both (the
// facebook-nodejs-business-sdk is Node-only and pulls in axios and more).
// Every call with a user or page token carries `appsecret_proof`, as Meta
// recommends (and requires once "Require App Secret" is on).
//
// Production talks to https://graph.facebook.com; `npm start` and the tests
// to the stand-in in supabase/local/meta-graph.ts. Only configuration differs.
import { hex } from "../../lib/crypto/encoding.ts";

export const DEFAULT_GRAPH_URL = "https://graph.facebook.com";
export const DEFAULT_GRAPH_VERSION = "v23.0";

export interface MetaConfig {
  /** META_GRAPH_URL, without the version. */
  graphUrl: string;
  /** META_GRAPH_VERSION, e.g. v23.0. */
  version: string;
  appId: string;
  appSecret: string;
  /** What Meta's webhook subscription handshake must present (META_VERIFY_TOKEN). */
  verifyToken: string;
}

export class MetaNotConfiguredError extends Error {
  constructor(missing: string[]) {
    super(`Meta Lead Ads is not configured: set ${missing.join(", ")} (the app's id and secret from developers.facebook.com, and a verify token of your choosing for the webhook).`);
    this.name = "MetaNotConfiguredError";
  }
}

/** Reads the configuration through `get` (process.env in Node, Deno.env in Deno); refuses with the missing names. */
export function metaConfig(get: (name: string) => string | undefined): MetaConfig {
  const missing = ["META_APP_ID", "META_APP_SECRET", "META_VERIFY_TOKEN"].filter((n) => !get(n));
  if (missing.length) throw new MetaNotConfiguredError(missing);
  return {
    graphUrl: (get("META_GRAPH_URL") || DEFAULT_GRAPH_URL).replace(/\/+$/, ""),
    version: get("META_GRAPH_VERSION") || DEFAULT_GRAPH_VERSION,
    appId: get("META_APP_ID")!,
    appSecret: get("META_APP_SECRET")!,
    verifyToken: get("META_VERIFY_TOKEN")!,
  };
}

/** An error answer from the Graph API, in Meta's `{ error: { message, type, code, error_subcode } }` shape. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: number,
    readonly subcode?: number,
    readonly type?: string,
  ) {
    super(message);
    this.name = "GraphError";
  }

  /** Worth retrying later: Meta's side failed, throttled, or could not be reached. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 429 || [1, 2, 4, 17, 32, 341, 613].includes(this.code ?? -1);
  }

  /** The token is expired, revoked or lacks a permission (code 190, or 10/200-299 permission errors). */
  get tokenProblem(): boolean {
    return this.code === 190 || this.code === 10 || (this.code !== undefined && this.code >= 200 && this.code < 300);
  }
}

export interface LeadFieldData {
  name: string;
  values: string[];
}

export interface GraphLead {
  id: string;
  created_time: string;
  ad_id?: string;
  ad_name?: string;
  adset_id?: string;
  campaign_id?: string;
  campaign_name?: string;
  form_id?: string;
  is_organic?: boolean;
  platform?: string;
  field_data: LeadFieldData[];
}

export interface GraphQuestion {
  key: string;
  label?: string;
  type?: string;
  id?: string;
}

export interface GraphLeadForm {
  id: string;
  name: string;
  status: string;
  questions?: GraphQuestion[];
}

export interface TokenDebug {
  app_id?: string;
  type?: string;
  is_valid: boolean;
  /** Unix seconds; 0 means it never expires. */
  expires_at?: number;
  data_access_expires_at?: number;
  profile_id?: string;
  scopes?: string[];
  error?: { code?: number; message?: string; subcode?: number };
}

export interface ConversionEvent {
  event_name: string;
  event_time: number;
  action_source: "system_generated";
  event_id?: string;
  user_data: Record<string, unknown>;
  custom_data?: Record<string, unknown>;
}

/** One row of an ad account's insights at level=campaign, time_increment=1: a campaign's day. */
export interface CampaignSpend {
  campaign_id: string;
  campaign_name?: string;
  /** A decimal string in the account's currency, e.g. "51.37". */
  spend: string;
  impressions?: string;
  clicks?: string;
  /** Meta's counted actions; `lead` is the leads it attributes to the campaign. */
  actions?: { action_type: string; value: string }[];
  date_start: string;
  date_stop: string;
}

export interface GraphAdAccount {
  /** `act_<digits>`. */
  id: string;
  name: string;
  currency: string;
  timezone_name: string;
  /** 1 active, 2 disabled, 3 unsettled, 7 pending review, 101 closed, … */
  account_status?: number;
}

const LEAD_FIELDS = "id,created_time,ad_id,ad_name,adset_id,campaign_id,campaign_name,form_id,is_organic,platform,field_data";
const FORM_FIELDS = "id,name,status,questions";
const TIMEOUT_MS = 10_000;
const encoder = new TextEncoder();

/** HMAC-SHA256 of the token keyed by the app secret, hex: Meta's `appsecret_proof`. */
export async function appSecretProof(token: string, appSecret: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(appSecret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(token))));
}

export interface GraphClient {
  getLead(leadgenId: string, token: string): Promise<GraphLead>;
  listLeadForms(pageId: string, token: string): Promise<GraphLeadForm[]>;
  getPage(pageId: string, token: string): Promise<{ id: string; name: string }>;
  debugToken(inputToken: string): Promise<TokenDebug>;
  sendEvents(datasetId: string, token: string, events: ConversionEvent[]): Promise<{ events_received: number; fbtrace_id?: string }>;
  getAdAccount(adAccountId: string, token: string): Promise<GraphAdAccount>;
  campaignSpend(adAccountId: string, token: string, range: { since: string; until: string }): Promise<CampaignSpend[]>;
}

/** Meta's ad account id as its API names it, `act_<digits>`, from either form. */
export const actId = (adAccountId: string) => (adAccountId.startsWith("act_") ? adAccountId : `act_${adAccountId}`);

export function graphClient(config: Pick<MetaConfig, "graphUrl" | "version" | "appId" | "appSecret">, fetcher: typeof fetch = fetch): GraphClient {
  const base = `${config.graphUrl}/${config.version}`;

  async function call<T>(method: "GET" | "POST", url: URL, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetcher(url, {
        method,
        headers: body ? { "content-type": "application/json", accept: "application/json" } : { accept: "application/json" },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      throw new GraphError(0, `The Graph API could not be reached: ${e instanceof Error ? e.message : String(e)}`);
    }
    const text = await res.text();
    let json: { error?: { message?: string; code?: number; error_subcode?: number; type?: string } } & Record<string, unknown>;
    try {
      json = JSON.parse(text);
    } catch {
      throw new GraphError(res.status || 502, `The Graph API answered ${res.status} with a body that is not JSON`);
    }
    if (!res.ok || json.error) {
      const err = json.error ?? {};
      throw new GraphError(res.status, err.message ?? `The Graph API answered ${res.status}`, err.code, err.error_subcode, err.type);
    }
    return json as T;
  }

  async function withToken(path: string, token: string, params: Record<string, string> = {}): Promise<URL> {
    const url = new URL(`${base}/${path}`);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    url.searchParams.set("access_token", token);
    url.searchParams.set("appsecret_proof", await appSecretProof(token, config.appSecret));
    return url;
  }

  return {
    async getLead(leadgenId, token) {
      return call<GraphLead>("GET", await withToken(encodeURIComponent(leadgenId), token, { fields: LEAD_FIELDS }));
    },

    async listLeadForms(pageId, token) {
      const forms: GraphLeadForm[] = [];
      let url: URL | null = await withToken(`${encodeURIComponent(pageId)}/leadgen_forms`, token, { fields: FORM_FIELDS, limit: "100" });
      // Meta pages with cursors; a page never has thousands of forms, but stop at 20 pages all the same.
      for (let i = 0; url && i < 20; i++) {
        const page: { data: GraphLeadForm[]; paging?: { next?: string } } = await call("GET", url);
        forms.push(...page.data);
        url = page.paging?.next ? new URL(page.paging.next) : null;
      }
      return forms;
    },

    async getPage(pageId, token) {
      return call("GET", await withToken(encodeURIComponent(pageId), token, { fields: "id,name" }));
    },

    async debugToken(inputToken) {
      // Asked with the app's own access token, `app_id|app_secret`, as Meta documents.
      const url = new URL(`${base}/debug_token`);
      url.searchParams.set("input_token", inputToken);
      url.searchParams.set("access_token", `${config.appId}|${config.appSecret}`);
      const { data } = await call<{ data: TokenDebug }>("GET", url);
      return data;
    },

    async sendEvents(datasetId, token, events) {
      const url = await withToken(`${encodeURIComponent(datasetId)}/events`, token);
      return call("POST", url, { data: events });
    },

    async getAdAccount(adAccountId, token) {
      return call("GET", await withToken(encodeURIComponent(actId(adAccountId)), token, { fields: "id,name,currency,timezone_name,account_status" }));
    },

    async campaignSpend(adAccountId, token, range) {
      const rows: CampaignSpend[] = [];
      let url: URL | null = await withToken(`${encodeURIComponent(actId(adAccountId))}/insights`, token, {
        level: "campaign",
        time_increment: "1",
        fields: "campaign_id,campaign_name,spend,impressions,clicks,actions,date_start,date_stop",
        time_range: JSON.stringify(range),
        limit: "500",
      });
      // Callers replace the range with what comes back, so a partial answer must not pass for a whole one.
      for (let i = 0; url; i++) {
        if (i === 200) throw new GraphError(400, `The insights of ${actId(adAccountId)} ran past 200 pages; import a shorter range`);
        const page: { data: CampaignSpend[]; paging?: { next?: string } } = await call("GET", url);
        rows.push(...page.data);
        url = page.paging?.next ? new URL(page.paging.next) : null;
      }
      return rows;
    },
  };
}
