// The public endpoint of a web form, `/f/{key}`: no session, no cookies. It
// reads the form as service_role (the one ingest path the architecture lets
// run so), judges the submission (origin, rate limits, honeypot, fill time,
// Turnstile, fields) and writes the verdict, with the lead when accepted, in
// one transaction. A plain HTML form (no JavaScript) is answered with pages;
// a script posting JSON, or asking for it, with JSON.
import { env } from "@/lib/env";
import { DomainError, type ErrorDetails, errorBody, isDomainError } from "@/lib/errors";
import { hitRateLimitsIn } from "@/lib/rate-limit";
import { database, sql, type Tx } from "@/lib/db";
import { withSources } from "@/lib/http/security-headers";
import { requestLog } from "@/lib/log";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { normalizeCustomValue } from "@/modules/crm/custom-fields/ui";
import { sqlClientOf, upsertExternalLead } from "@/modules/leads";
import type { Utm } from "@/modules/leads/edge";
import { formPage, noticePage, redirectPage, thankYouPage } from "./html";
import { type FormField, RESERVED } from "./schema";
import { errorsOnFields, type RawValues, readSubmission, utmOf } from "./submission";
import { checkFillToken, issueFillToken } from "./token";
import { turnstileConfigured, turnstileWidget, verifyTurnstile } from "./turnstile";

const MAX_BODY_BYTES = 64 * 1024;
const KEY_SHAPE = /^wf_[a-z0-9]{8,40}$/;

interface PublicForm {
  id: string;
  org_id: string;
  key: string;
  name: string;
  fields: FormField[];
  allowed_origins: string[];
  thank_you_message: string;
  redirect_url: string | null;
  honeypot_field: string;
  min_fill_seconds: number;
  ip_rate_limit_per_minute: number;
  rate_limit_per_minute: number;
  turnstile_enabled: boolean;
  enabled: boolean;
  secret: string;
}

const selectForm = (tx: Tx, key: string) =>
  tx
    .selectFrom("web_forms")
    .select([
      "id", "org_id", "key", "name", "fields", "allowed_origins", "thank_you_message", "redirect_url", "honeypot_field",
      "min_fill_seconds", "ip_rate_limit_per_minute", "rate_limit_per_minute", "turnstile_enabled", "enabled", "secret",
    ])
    .where("key", "=", key)
    .executeTakeFirst() as Promise<PublicForm | undefined>;

async function loadForm(key: string): Promise<PublicForm | null> {
  if (!KEY_SHAPE.test(key)) return null;
  return (await database().asService((tx) => selectForm(tx, key))) ?? null;
}

/** The widget for the hosted page, its script carrying the nonce the app's CSP (set by proxy.ts) allows. */
function widgetFor(request: Request, form: PublicForm) {
  const widget = turnstileWidget(form.turnstile_enabled);
  return widget ? { ...widget, nonce: request.headers.get("x-nonce") } : null;
}

/**
 * The app's policy (which proxy.ts hands the handler as a request header)
 * widened for the Turnstile widget alone: its script, and the iframe it runs
 * its challenge in. The script is already let in by nonce; naming its origin
 * in script-src serves browsers without 'strict-dynamic'. A page without the
 * widget keeps the app's policy (see `policed`).
 */
function pagePolicy(request: Request, widget: { origin: string } | null): Record<string, string> {
  const policy = request.headers.get("content-security-policy");
  if (!widget || !policy) return {};
  return { "content-security-policy": withSources(policy, { "script-src": [widget.origin], "frame-src": [widget.origin] }) };
}

/**
 * proxy.ts leaves the policy of /f/ answers to this endpoint, since Next.js
 * keeps a header the proxy set over the handler's: every answer carries the
 * app's policy unless it set the wider one of a Turnstile page.
 */
function policed(request: Request, response: Response): Response {
  const policy = request.headers.get("content-security-policy");
  if (policy && !response.headers.has("content-security-policy")) response.headers.set("content-security-policy", policy);
  return response;
}

const HTML = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };

/** Whether the caller wants JSON: a script posting JSON or asking for it. */
function wantsJson(request: Request): boolean {
  const type = request.headers.get("content-type") ?? "";
  const accept = request.headers.get("accept") ?? "";
  return type.startsWith("application/json") || (accept.includes("application/json") && !accept.includes("text/html"));
}

function ownOrigins(request: Request): string[] {
  return [new URL(env().APP_URL).origin, new URL(request.url).origin];
}

type OriginVerdict = { allowed: true; cors: Record<string, string> } | { allowed: false };

/**
 * Exactly the origins the form lists, and Covey's own (its hosted page). A
 * request without Origin is no browser's cross-site request (a server, curl)
 * and gets no CORS headers, which it does not need.
 */
function checkOrigin(request: Request, form: PublicForm): OriginVerdict {
  const origin = request.headers.get("origin");
  if (!origin || ownOrigins(request).includes(origin)) return { allowed: true, cors: {} };
  if (!form.allowed_origins.includes(origin.toLowerCase())) return { allowed: false };
  return { allowed: true, cors: { "access-control-allow-origin": origin, vary: "Origin" } };
}

function clientIp(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip") || "unknown";
}

const jsonError = (e: DomainError, headers: Record<string, string> = {}) =>
  Response.json(errorBody(e), { status: e.status, headers: { ...headers, ...e.headers, "cache-control": "no-store" } });

const html = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { ...HTML, ...headers } });

const notFoundAnswer = (json: boolean) =>
  json
    ? jsonError(new DomainError("not_found", "There is no such form."))
    : html(noticePage("Form not found", "There is no such form. Check the link you followed."), 404);

const closedAnswer = (json: boolean, form: PublicForm) =>
  json
    ? jsonError(new DomainError("gone", "This form no longer takes submissions."))
    : html(noticePage(form.name, "This form no longer takes submissions."), 410);

// ---------------------------------------------------------------------------
// GET /f/{key}: the hosted page
// ---------------------------------------------------------------------------

async function serveFormPageUnpoliced(request: Request, key: string): Promise<Response> {
  const form = await loadForm(key);
  if (!form) return notFoundAnswer(false);
  if (!form.enabled) return closedAnswer(false, form);
  const query = new URL(request.url).searchParams;
  const utm = Object.fromEntries(RESERVED.utm.flatMap((k) => (query.get(k) ? [[k, query.get(k)!.slice(0, 500)]] : [])));
  const turnstile = widgetFor(request, form);
  return html(
    formPage({
      name: form.name,
      key: form.key,
      fields: form.fields,
      honeypotField: form.honeypot_field,
      token: await issueFillToken(form.secret, form.key),
      utm,
      turnstile,
    }),
    200,
    pagePolicy(request, turnstile),
  );
}

// ---------------------------------------------------------------------------
// GET /f/{key}/token: a fresh fill-time token for the embeddable snippet
// ---------------------------------------------------------------------------

async function serveFillTokenUnpoliced(request: Request, key: string): Promise<Response> {
  const form = await loadForm(key);
  if (!form) return notFoundAnswer(true);
  const origin = checkOrigin(request, form);
  if (!origin.allowed) return jsonError(new DomainError("forbidden", "This site may not use this form."));
  if (!form.enabled) return closedAnswer(true, form);
  return Response.json({ token: await issueFillToken(form.secret, form.key) }, { headers: { ...origin.cors, "cache-control": "no-store" } });
}

// ---------------------------------------------------------------------------
// OPTIONS /f/{key} (and /token): CORS preflight
// ---------------------------------------------------------------------------

async function answerPreflightUnpoliced(request: Request, key: string): Promise<Response> {
  const form = await loadForm(key);
  const origin = request.headers.get("origin");
  // Only a listed origin hears anything it could act on.
  if (!form || !origin || !form.allowed_origins.includes(origin.toLowerCase())) return new Response(null, { status: 403 });
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "content-type, accept",
      "access-control-max-age": "600",
      vary: "Origin",
    },
  });
}

// ---------------------------------------------------------------------------
// POST /f/{key}: a submission
// ---------------------------------------------------------------------------

async function readBody(request: Request, json: boolean): Promise<RawValues> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new DomainError("payload_too_large", "The submission is too large.");
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const data = await request.formData().catch(() => {
      throw new DomainError("validation_failed", "The submission could not be read as a form.", { details: { _: ["Malformed form data"] } });
    });
    const entries: RawValues = {};
    for (const [k, v] of data.entries()) if (typeof v === "string") entries[k] = v;
    return entries;
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new DomainError("payload_too_large", "The submission is too large.");
  if (type.startsWith("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(text));
  if (type.startsWith("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new DomainError("invalid_json", "The submission is not valid JSON.");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      throw new DomainError("invalid_json", "The submission must be a JSON object of field names and values.");
    }
    return parsed as RawValues;
  }
  throw new DomainError(
    "unsupported_media_type",
    json ? "Send the submission as JSON." : "Send the submission as a form (application/x-www-form-urlencoded).",
  );
}

type SpamReason = "honeypot" | "too_fast" | "missing_token" | "bad_token" | "turnstile";

interface Verdict {
  outcome: "accepted" | "spam" | "rejected";
  spamReason?: SpamReason;
  errors?: ErrorDetails;
}

interface Context {
  form: PublicForm;
  values: RawValues;
  data: Record<string, string>;
  utm: Utm;
  referrer: string | null;
  origin: string | null;
  ip: string;
  userAgent: string | null;
}

// As text cast in SQL: a bound jsonb parameter would be JSON-encoded once more.
const asJsonb = (value: unknown) => sql<string>`${JSON.stringify(value)}::text::jsonb`;

async function store(tx: Tx, ctx: Context, verdict: Verdict, leadId: string | null) {
  const { id } = await tx
    .insertInto("web_form_submissions")
    .values({
      org_id: ctx.form.org_id,
      form_id: ctx.form.id,
      outcome: verdict.outcome,
      spam_reason: verdict.spamReason ?? null,
      errors: verdict.errors ? asJsonb(verdict.errors) : null,
      data: asJsonb(ctx.data),
      utm: asJsonb(ctx.utm),
      referrer: ctx.referrer?.slice(0, 2000) ?? null,
      origin: ctx.origin?.slice(0, 300) ?? null,
      ip: ctx.ip.slice(0, 100),
      user_agent: ctx.userAgent?.slice(0, 500) ?? null,
      lead_id: leadId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return id;
}

/** Spam and refusals are stored on their own: no lead is written with them. */
const storeVerdict = (ctx: Context, verdict: Verdict) => database().asService((tx) => store(tx, ctx, verdict, null));

/**
 * Custom values as the lead's custom fields store them: a form posts text,
 * and "1,200" in a number field is the number 1200. A value a field cannot
 * take is thrown by custom field, as the lead's own check would.
 */
async function typedCustom(tx: Tx, orgId: string, custom: Record<string, string>): Promise<Record<string, unknown> | null> {
  if (!Object.keys(custom).length) return null;
  const defs = await listCustomFieldDefs(tx, "lead", { orgId });
  const typed: Record<string, unknown> = {};
  const details: ErrorDetails = {};
  for (const [key, raw] of Object.entries(custom)) {
    const def = defs.find((d) => d.key === key);
    // A field since archived or deleted: the database names it.
    if (!def) {
      typed[key] = raw;
      continue;
    }
    const r = normalizeCustomValue(def, raw);
    if (r.ok) typed[key] = r.value;
    else details[`custom.${key}`] = [r.message];
  }
  if (Object.keys(details).length) throw new DomainError("validation_failed", "A custom field is not valid.", { details });
  return typed;
}

/**
 * The lead and the accepted submission in one transaction. The lead is keyed
 * by the email address when there is one, so the same person submitting
 * again (this form or another) finds their lead instead of making a second
 * one; the submission is kept either way. A value the lead's own checks
 * refuse is thrown as a DomainError by lead column or custom field.
 */
const accept = (ctx: Context, lead: ReturnType<typeof readSubmission>) =>
  database().asService(async (tx) => {
    const email = lead.lead.email?.trim().toLowerCase();
    const { leadId, created } = await upsertExternalLead(sqlClientOf(tx), {
      orgId: ctx.form.org_id,
      source: "web_form",
      externalId: email ? `email:${email}` : null,
      fields: lead.lead,
      utm: ctx.utm,
      raw: { form: { id: ctx.form.id, key: ctx.form.key, name: ctx.form.name }, values: ctx.data, utm: ctx.utm, referrer: ctx.referrer },
      custom: await typedCustom(tx, ctx.form.org_id, lead.custom),
    });
    await store(tx, ctx, { outcome: "accepted" }, leadId);
    // Last, so the health row's lock is held only for the commit.
    await recordHealth(tx, ctx.form, true, null);
    return { leadId, created };
  });

/**
 * The form's line on Settings → Integrations (account: the form's key): its
 * last accepted submission, and submissions Covey failed to store, in our
 * words, never the visitor's data or the database's message.
 */
const recordHealth = (tx: Tx, form: PublicForm, ok: boolean, error: string | null) =>
  sql`select private.record_integration_result(${form.org_id}, 'web_forms', ${form.key}, ${ok}, ${error})`.execute(tx);

async function receiveSubmissionUnpoliced(request: Request, key: string): Promise<Response> {
  const json = wantsJson(request);
  const ip = clientIp(request);
  // The form and the hit on its rate limits in one transaction: the
  // endpoint's first round trips are most of its cost.
  const found = KEY_SHAPE.test(key)
    ? await database().asService(async (tx) => {
        const form = await selectForm(tx, key);
        if (!form?.enabled || !checkOrigin(request, form).allowed) return { form, wait: 0 };
        const wait = await hitRateLimitsIn(tx, [
          { bucket: `form:${form.id}:ip:${ip}`, max: form.ip_rate_limit_per_minute, windowSeconds: 60 },
          { bucket: `form:${form.id}`, max: form.rate_limit_per_minute, windowSeconds: 60 },
        ]);
        return { form, wait };
      })
    : { form: undefined, wait: 0 };
  const form = found.form;
  if (!form) return notFoundAnswer(json);
  const origin = checkOrigin(request, form);
  if (!origin.allowed) {
    return json
      ? jsonError(new DomainError("forbidden", "This site may not submit this form."))
      : html(noticePage(form.name, "This form cannot be submitted from this site."), 403);
  }
  const cors = origin.cors;
  if (!form.enabled) {
    const answer = closedAnswer(json, form);
    for (const [k, v] of Object.entries(cors)) answer.headers.set(k, v);
    return answer;
  }

  if (found.wait > 0) {
    const retry = { "retry-after": String(found.wait) };
    return json
      ? jsonError(new DomainError("rate_limited", "Too many submissions. Try again in a minute."), { ...cors, ...retry })
      : html(noticePage(form.name, "Too many submissions from here. Wait a minute and try again."), 429, retry);
  }

  let values: RawValues;
  try {
    values = await readBody(request, json);
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return json ? jsonError(e, cors) : html(noticePage(form.name, e.message), e.status);
  }

  const read = readSubmission(form.fields, values);
  const referrer = request.headers.get("referer");
  const ctx: Context = {
    form,
    values,
    data: read.data,
    utm: utmOf(values, referrer),
    referrer,
    origin: request.headers.get("origin"),
    ip,
    userAgent: request.headers.get("user-agent"),
  };

  const success = () => {
    if (json) return Response.json({ ok: true, message: form.thank_you_message, redirect_url: form.redirect_url }, { headers: { ...cors, "cache-control": "no-store" } });
    if (!form.redirect_url) return html(thankYouPage(form.name, form.thank_you_message), 200);
    // From Covey's own hosted page a redirect elsewhere would break its form-action policy.
    if (ctx.origin && ownOrigins(request).includes(ctx.origin)) return html(redirectPage(form.name, form.redirect_url), 200);
    return new Response(null, { status: 303, headers: { location: form.redirect_url, "cache-control": "no-store" } });
  };
  const refuse = async (errors: ErrorDetails, message: string) => {
    if (json) return jsonError(new DomainError("validation_failed", message, { details: errors }), cors);
    const token = await issueFillToken(form.secret, form.key);
    const shown: Record<string, string> = {};
    for (const f of form.fields) {
      const v = values[f.name];
      if (typeof v === "string") shown[f.name] = v;
    }
    const utm = Object.fromEntries(Object.entries(ctx.utm).map(([k, v]) => [`utm_${k}`, v as string]));
    const turnstile = widgetFor(request, form);
    return html(
      formPage({ name: form.name, key: form.key, fields: form.fields, honeypotField: form.honeypot_field, token, values: shown, errors, utm, turnstile }),
      422,
      pagePolicy(request, turnstile),
    );
  };

  // The honeypot answers like a success: a bot learns nothing to adapt to.
  const honey = values[form.honeypot_field];
  if (typeof honey === "string" ? honey.trim() !== "" : honey != null) {
    await storeVerdict({ ...ctx, data: { ...ctx.data, [form.honeypot_field]: String(honey).slice(0, 500) } }, { outcome: "spam", spamReason: "honeypot" });
    return success();
  }

  // A person who was quick, or whose browser ran no script, is shown the
  // form again with a fresh token and sends it once more.
  const rawToken = values[RESERVED.token];
  const fill = await checkFillToken(form.secret, form.key, typeof rawToken === "string" ? rawToken : null);
  const fillReason: SpamReason | null = !fill.ok ? fill.reason : fill.elapsedMs < form.min_fill_seconds * 1000 ? "too_fast" : null;
  if (fillReason) {
    await storeVerdict(ctx, { outcome: "spam", spamReason: fillReason });
    return refuse(
      { _: ["Please check your details and send the form again."] },
      fillReason === "too_fast" ? "The form was sent too quickly. Send it again." : "The form was sent without its check. Reload the page and send it again.",
    );
  }

  if (form.turnstile_enabled && turnstileConfigured()) {
    const answer = values[RESERVED.turnstile];
    if (!(await verifyTurnstile(typeof answer === "string" ? answer : "", ip))) {
      await storeVerdict(ctx, { outcome: "spam", spamReason: "turnstile" });
      return refuse({ _: ["The human check failed. Try it again."] }, "The human check failed. Try it again.");
    }
  }

  let errors = read.errors;
  if (!Object.keys(errors).length) {
    try {
      await accept(ctx, read);
      return success();
    } catch (e) {
      if (!isDomainError(e) || e.code !== "validation_failed") {
        const log = requestLog(request.headers.get("x-request-id"));
        log.error({ err: e, form_id: form.id }, "web form submission failed");
        await database()
          .asService((tx) => recordHealth(tx, form, false, "A submission could not be stored; the visitor was asked to try again."))
          .catch((err) => log.error({ err, form_id: form.id }, "web form health not recorded"));
        const failure = new DomainError("internal_error", "The form could not be sent. Try again in a moment.");
        return json ? jsonError(failure, cors) : html(noticePage(form.name, failure.message), 500);
      }
      errors = errorsOnFields(form.fields, e.details ?? { _: [e.message] });
    }
  }
  await storeVerdict(ctx, { outcome: "rejected", errors });
  return refuse(errors, "Please correct the highlighted fields.");
}

export const serveFormPage = async (request: Request, key: string) => policed(request, await serveFormPageUnpoliced(request, key));
export const serveFillToken = async (request: Request, key: string) => policed(request, await serveFillTokenUnpoliced(request, key));
export const answerPreflight = async (request: Request, key: string) => policed(request, await answerPreflightUnpoliced(request, key));
export const receiveSubmission = async (request: Request, key: string) => policed(request, await receiveSubmissionUnpoliced(request, key));
