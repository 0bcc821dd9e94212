// The `meta.fetch_lead` job: what the webhook queued for one leadgen id
// becomes one lead. Finds the page's org and opens its token, fetches the
// lead from the Graph API, maps its answers through the form's mapping and
// upserts it by its Meta id (source `meta`), so a redelivery, a concurrent
// duplicate or a retry after a crash is the same lead.
//
// Meta down or throttling → the job throws and the queue retries with
// backoff, dead-lettering after the last attempt; a page Covey does not
// know, a token that no longer opens, or a lead Meta says does not exist →
// PermanentJobError (retrying cannot help; an admin retries the dead job
// after fixing the connection). Web-standard: the jobs Edge Function runs it.
import { type Keyring, openSecret, parseKeyring, SecretDecryptError } from "../../lib/crypto/envelope.ts";
import { DomainError } from "../../lib/errors.ts";
import { type JobContext, type JobHandler, PermanentJobError } from "../jobs/edge.ts";
import { type ExternalLeadFields, upsertExternalLead } from "../leads/edge.ts";
import { GraphError, graphClient, metaConfig } from "./graph.ts";
import { type FieldMapping, mapFieldData } from "./mapping.ts";
import type { LeadgenChange } from "./webhook.ts";

const FIELD_KEYS: Record<string, keyof ExternalLeadFields> = {
  first_name: "firstName",
  last_name: "lastName",
  email: "email",
  phone: "phone",
  company_name: "companyName",
  state: "state",
  message: "message",
};

/** The job's payload as the webhook wrote it; anything else is a bug upstream. */
function payloadOf(payload: unknown): LeadgenChange {
  const p = payload as Partial<LeadgenChange> | null;
  if (!p || typeof p.leadgenId !== "string" || !/^[0-9]{1,30}$/.test(p.leadgenId) || typeof p.pageId !== "string") {
    throw new PermanentJobError("The job's payload has no leadgen id and page id");
  }
  return p as LeadgenChange;
}

// Parsed once per key spec: importing the keys is the costly part of opening a token.
let keyringCache: { spec: string; keyring: Promise<Keyring> } | null = null;
function keyringOf(spec: string): Promise<Keyring> {
  if (keyringCache?.spec !== spec) keyringCache = { spec, keyring: parseKeyring(spec) };
  return keyringCache.keyring;
}

/** What the Meta card's health shows of a failure: our own messages and Meta's, never a database error's values. */
function failureText(e: unknown): string {
  if (e instanceof PermanentJobError || e instanceof GraphError) return e.message;
  return "The lead could not be stored";
}

export const fetchMetaLead: JobHandler = async (job, ctx) => {
  const change = payloadOf(job.payload);
  const [page] = await ctx.sql.unsafe(
    `select p.org_id, p.page_id, s.secret
     from public.meta_pages p join public.org_secrets s on s.id = p.token_secret_id and s.org_id = p.org_id
     where p.page_id = $1`,
    [change.pageId],
  );
  if (!page) throw new PermanentJobError(`Page ${change.pageId} is not connected to Covey`);
  const orgId = page.org_id as string;
  const record = (ok: boolean, error: string | null) =>
    ctx.sql.unsafe("select private.record_integration_result($1, 'meta', $2, $3, $4)", [orgId, change.pageId, ok, error]);
  try {
    await fetchAndStore(change, orgId, page.secret as string, ctx);
  } catch (e) {
    await record(false, failureText(e));
    throw e;
  }
  await record(true, null);
};

async function fetchAndStore(change: LeadgenChange, orgId: string, secret: string, ctx: JobContext): Promise<void> {
  const keyring = await keyringOf(ctx.env("COVEY_SECRET_KEYS"));
  let token: string;
  try {
    token = await openSecret(keyring, secret, { orgId, purpose: `meta.page_token:${change.pageId}` });
  } catch (e) {
    if (e instanceof SecretDecryptError) throw new PermanentJobError(`The token of page ${change.pageId} cannot be decrypted: connect the page again`);
    throw e;
  }

  const graph = graphClient(metaConfig((n) => ctx.env(n) || undefined), ctx.fetch);
  let lead;
  try {
    lead = await graph.getLead(change.leadgenId, token);
  } catch (e) {
    if (e instanceof GraphError && !e.transient) {
      throw new PermanentJobError(`Meta refused the lead fetch (${e.code ?? e.status}): ${e.message}`);
    }
    throw e;
  }

  const formId = lead.form_id ?? change.formId;
  const [form] = formId
    ? await ctx.sql.unsafe("select creates_leads, field_mapping, questions from public.meta_lead_forms where form_id = $1 and org_id = $2", [formId, orgId])
    : [];
  // A form the org switched off makes no lead; one not synced yet (made after the page was connected) does, with the default mapping.
  if (form && !form.creates_leads) return;
  const labels = Object.fromEntries(((form?.questions ?? []) as { key: string; label: string }[]).map((q) => [q.key, q.label]));
  const mapped = mapFieldData(lead.field_data ?? [], (form?.field_mapping ?? {}) as FieldMapping, labels);
  const attribution = Object.fromEntries(
    Object.entries({
      ad_id: lead.ad_id ?? change.adId,
      adgroup_id: lead.adset_id ?? change.adgroupId,
      campaign_id: lead.campaign_id,
      form_id: formId,
      page_id: change.pageId,
    }).filter(([, v]) => v),
  ) as Record<string, string>;

  const input = { orgId, source: "meta", externalId: change.leadgenId, fields: mapped.fields, attribution, raw: lead, custom: mapped.custom };
  try {
    await upsertExternalLead(ctx.sql, input);
  } catch (e) {
    if (!(e instanceof DomainError) || e.code !== "validation_failed") throw e;
    // A value the CRM cannot store (a phone it cannot read, a custom field
    // the org does not have) must not lose the lead: it goes into the
    // message with the rest of what the person wrote.
    const fields: ExternalLeadFields = { ...mapped.fields };
    const notes: string[] = [];
    for (const key of Object.keys(e.details ?? {})) {
      const name = FIELD_KEYS[key];
      if (name && name !== "message" && fields[name]) {
        notes.push(`${key}: ${fields[name]}`);
        delete fields[name];
      }
    }
    const custom = Object.keys(e.details ?? {}).some((k) => k.startsWith("custom")) ? {} : mapped.custom;
    for (const [k, v] of Object.entries(custom === mapped.custom ? {} : mapped.custom)) notes.push(`${k}: ${v}`);
    fields.message = [fields.message, ...notes].filter(Boolean).join("\n") || null;
    await upsertExternalLead(ctx.sql, { ...input, fields, custom });
  }
}
