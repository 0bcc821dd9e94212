import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { answerPreflight, receiveSubmission, serveFillToken, serveFormPage } from "./endpoint";
import { issueFillToken } from "./token";

const t = useTestDatabase();
const APP = "http://localhost:3000";
const SITE = "https://shop.example";

let owner: TestUser;

const FIELDS = [
  { name: "first_name", label: "First name", type: "text", required: true, maps_to: "first_name" },
  { name: "email", label: "Email", type: "email", required: true, maps_to: "email" },
  { name: "phone", label: "Phone", type: "tel", required: false, maps_to: "phone" },
  { name: "topic", label: "Topic", type: "select", required: false, maps_to: null, options: ["Sales", "Support"] },
  { name: "message", label: "Message", type: "textarea", required: false, maps_to: "message" },
];

interface Form {
  id: string;
  key: string;
  secret: string;
}

async function makeForm(overrides: Record<string, unknown> = {}): Promise<Form> {
  const row = { name: "Contact", fields: FIELDS, allowed_origins: [SITE], min_fill_seconds: 3, ...overrides };
  const [f] = await t.admin`
    insert into web_forms ${t.admin({ org_id: owner.orgId, ...row, fields: t.admin.json(row.fields as never) } as never)}
    returning id, key, secret`;
  return f as Form;
}

/** A token issued long enough ago to pass the form's minimum fill time. */
const aged = (f: Form, ms = 60_000) => issueFillToken(f.secret, f.key, Date.now() - ms);

let ipCounter = 0;
const freshIp = () => `198.51.100.${(ipCounter++ % 250) + 1}`;

function post(
  f: Form,
  body: Record<string, string>,
  opts: { mode?: "json" | "form"; origin?: string | null; ip?: string; referer?: string } = {},
) {
  const mode = opts.mode ?? "json";
  const headers: Record<string, string> = {
    "content-type": mode === "json" ? "application/json" : "application/x-www-form-urlencoded",
    accept: mode === "json" ? "application/json" : "text/html",
    "x-forwarded-for": opts.ip ?? freshIp(),
  };
  const origin = opts.origin === undefined ? SITE : opts.origin;
  if (origin) headers.origin = origin;
  if (opts.referer) headers.referer = opts.referer;
  return receiveSubmission(
    new Request(`${APP}/f/${f.key}`, {
      method: "POST",
      headers,
      body: mode === "json" ? JSON.stringify(body) : new URLSearchParams(body).toString(),
    }),
    f.key,
  );
}

const submissions = (f: Form) =>
  t.admin`select outcome, spam_reason, errors, data, utm, lead_id from web_form_submissions where form_id = ${f.id} order by id`;
const leadsOf = (email: string) =>
  t.admin`select id, source, first_name, email, phone, person_id, utm from leads where org_id = ${owner.orgId} and email = ${email}`;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Forms Org" });
});

describe("web form submissions", () => {
  it("fill a number custom field from its text, and name the form field when it is not a number", async () => {
    await t.admin`insert into custom_field_definitions (org_id, object_type, key, label, field_type)
                  values (${owner.orgId}, 'lead', 'budget', 'Budget', 'number')`;
    const f = await makeForm({
      fields: [...FIELDS, { name: "budget", label: "Your budget", type: "text", required: false, maps_to: "custom.budget" }],
    });
    const email = `budget-${randomUUID().slice(0, 6)}@example.test`;
    const res = await post(f, { first_name: "Bea", email, budget: "12,500.50", _covey_t: await aged(f) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await t.admin`select custom from leads where org_id = ${owner.orgId} and email = ${email}`).toEqual([{ custom: { budget: 12500.5 } }]);

    const other = `nobudget-${randomUUID().slice(0, 6)}@example.test`;
    const bad = await post(f, { first_name: "Ned", email: other, budget: "lots", _covey_t: await aged(f) });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.details).toEqual({ budget: ["Your budget: budget must be a number, e.g. 1,234.5"] });
    expect(await leadsOf(other)).toEqual([]);
    expect((await submissions(f)).map((s) => s.outcome)).toEqual(["accepted", "rejected"]);
  });

  it("turn a JSON submission from an allowed origin into a web_form lead and log it as accepted", async () => {
    const f = await makeForm();
    const email = `ada-${randomUUID().slice(0, 6)}@example.test`;
    const res = await post(f, { first_name: "Ada", email, phone: "(415) 555-0134", topic: "Sales", _covey_t: await aged(f) });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(await res.json()).toMatchObject({ ok: true, message: "Thank you. We will be in touch soon." });
    const [lead] = await leadsOf(email);
    expect(lead).toMatchObject({ source: "web_form", first_name: "Ada", phone: "+14155550134" });
    const [s] = await submissions(f);
    expect(s).toMatchObject({ outcome: "accepted", lead_id: lead.id, data: { first_name: "Ada", email, topic: "Sales" } });
  });

  it("name the fields at fault in JSON, and write no lead", async () => {
    const f = await makeForm();
    const res = await post(f, { first_name: "", email: "not-an-email", topic: "Other", _covey_t: await aged(f) });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe("validation_failed");
    expect(Object.keys(body.error.details).sort()).toEqual(["email", "first_name", "topic"]);
    expect(body.error.details.first_name[0]).toBe("First name is required");
    const rows = await submissions(f);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: "rejected", lead_id: null });
    expect(Object.keys(rows[0].errors).sort()).toEqual(["email", "first_name", "topic"]);
    expect(await t.admin`select 1 from leads where org_id = ${owner.orgId} and raw -> 'form' ->> 'id' = ${f.id}`).toHaveLength(0);
  });

  it("re-render a plain HTML submission's form with the messages beside its fields and the values kept", async () => {
    const f = await makeForm();
    const res = await post(f, { first_name: "Grace", email: "grace@", message: "<b>hi</b>", _covey_t: await aged(f) }, { mode: "form" });
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("text/html");
    const page = await res.text();
    expect(page).toContain('id="f-email" name="email" required aria-invalid="true" aria-describedby="f-email-error"');
    expect(page).toMatch(/<p class="error" id="f-email-error">Email: enter an email address/);
    expect(page).toContain('value="Grace"');
    expect(page).toContain("&lt;b&gt;hi&lt;/b&gt;</textarea>");
    expect(page).toMatch(/name="_covey_t" value="\d{13}\.[A-Za-z0-9_-]{43}"/);
    expect((await submissions(f)).map((s) => s.outcome)).toEqual(["rejected"]);
  });

  it("put a value the lead refuses (a phone that is no number) on the field that filled it", async () => {
    const f = await makeForm();
    const res = await post(f, { first_name: "Lin", email: `lin-${randomUUID().slice(0, 6)}@example.test`, phone: "call me maybe", _covey_t: await aged(f) });
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(Object.keys(body.error.details)).toEqual(["phone"]);
    expect(body.error.details.phone[0]).toMatch(/^Phone: /);
    expect((await submissions(f)).map((s) => [s.outcome, s.lead_id])).toEqual([["rejected", null]]);
  });

  it("count a filled honeypot as spam without a lead, and answer as if it were accepted", async () => {
    const f = await makeForm();
    const email = `bot-${randomUUID().slice(0, 6)}@example.test`;
    const res = await post(f, { first_name: "Bot", email, website_url: "http://spam.example", _covey_t: await aged(f) });
    expect(res.status).toBe(200);
    expect((await res.json()).ok).toBe(true);
    expect(await leadsOf(email)).toHaveLength(0);
    const [s] = await submissions(f);
    expect(s).toMatchObject({ outcome: "spam", spam_reason: "honeypot", lead_id: null });
  });

  it("count a submission sent sooner than the minimum fill time, without its token or with a forged one as spam", async () => {
    const f = await makeForm({ min_fill_seconds: 5 });
    const email = `fast-${randomUUID().slice(0, 6)}@example.test`;
    const fresh = await issueFillToken(f.secret, f.key);
    const tooFast = await post(f, { first_name: "Quick", email, _covey_t: fresh });
    expect(tooFast.status).toBe(422);
    expect((await tooFast.json()).error.details._).toBeDefined();
    expect((await post(f, { first_name: "Quick", email })).status).toBe(422);
    const otherForm = await makeForm();
    const forged = await issueFillToken(otherForm.secret, f.key, Date.now() - 60_000);
    expect((await post(f, { first_name: "Quick", email, _covey_t: forged })).status).toBe(422);
    // Plain HTML: the form again, with a fresh token to send it with.
    const html = await post(f, { first_name: "Quick", email }, { mode: "form" });
    expect(html.status).toBe(422);
    expect(await html.text()).toContain("Please check your details and send the form again.");
    expect(await leadsOf(email)).toHaveLength(0);
    expect((await submissions(f)).map((s) => s.spam_reason)).toEqual(["too_fast", "missing_token", "bad_token", "missing_token"]);
  });

  it("refuse with 429 and Retry-After once an address has sent its limit, and store nothing more", async () => {
    const f = await makeForm({ ip_rate_limit_per_minute: 2 });
    const ip = "203.0.113.77";
    const send = async () => post(f, { first_name: "Rate", email: `rate-${randomUUID().slice(0, 6)}@example.test`, _covey_t: await aged(f) }, { ip });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const third = await send();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await third.json()).error.code).toBe("rate_limited");
    expect((await post(f, { first_name: "Other", email: `o-${randomUUID().slice(0, 6)}@example.test`, _covey_t: await aged(f) })).status).toBe(200);
    expect(await submissions(f)).toHaveLength(3);
  });

  it("limit the whole form across addresses", async () => {
    const f = await makeForm({ rate_limit_per_minute: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(f, { first_name: "Many", email: `m${i}-${randomUUID().slice(0, 6)}@example.test`, _covey_t: await aged(f) })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it("answer CORS preflights for listed origins only, and refuse others' submissions without CORS headers", async () => {
    const f = await makeForm();
    const preflight = (origin: string) =>
      answerPreflight(
        new Request(`${APP}/f/${f.key}`, {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
        }),
        f.key,
      );
    const ok = await preflight(SITE);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(ok.headers.get("access-control-allow-methods")).toContain("POST");
    const other = await preflight("https://evil.example");
    expect(other.status).toBe(403);
    expect(other.headers.get("access-control-allow-origin")).toBeNull();

    const email = `cors-${randomUUID().slice(0, 6)}@example.test`;
    const res = await post(f, { first_name: "Eve", email, _covey_t: await aged(f) }, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(await submissions(f)).toHaveLength(0);
    // Covey's own hosted page is always allowed.
    expect((await post(f, { first_name: "Eve", email, _covey_t: await aged(f) }, { origin: APP })).status).toBe(200);
  });

  it("link a second submission with the same email to the existing person and lead, keeping both submissions", async () => {
    const f = await makeForm();
    const email = `dup-${randomUUID().slice(0, 6)}@example.test`;
    const [person] = await t.admin`insert into people (org_id, first_name, email) values (${owner.orgId}, 'Known', ${email}) returning id`;
    expect((await post(f, { first_name: "Dup", email, message: "First", _covey_t: await aged(f) })).status).toBe(200);
    expect((await post(f, { first_name: "Dup", email: email.toUpperCase(), message: "Second", _covey_t: await aged(f) })).status).toBe(200);
    const leads = await leadsOf(email);
    expect(leads).toHaveLength(1);
    expect(leads[0].person_id).toBe(person.id);
    const rows = await submissions(f);
    expect(rows.map((s) => [s.outcome, s.lead_id, s.data.message])).toEqual([
      ["accepted", leads[0].id, "First"],
      ["accepted", leads[0].id, "Second"],
    ]);
    expect(await t.admin`select 1 from people where org_id = ${owner.orgId} and email = ${email}`).toHaveLength(1);
  });

  it("answer 410 for a disabled form and 404 for an unknown key, storing nothing", async () => {
    const f = await makeForm({ enabled: false });
    const res = await post(f, { first_name: "Late", email: "late@example.test", _covey_t: await aged(f) });
    expect(res.status).toBe(410);
    expect((await res.json()).error.code).toBe("gone");
    expect((await post(f, { first_name: "Late", email: "late@example.test" }, { mode: "form" })).status).toBe(410);
    expect((await serveFormPage(new Request(`${APP}/f/${f.key}`), f.key)).status).toBe(410);
    expect(await submissions(f)).toHaveLength(0);
    const unknown = { id: randomUUID(), key: "wf_0000000000000000", secret: "00".repeat(32) };
    expect((await post(unknown, { email: "x@example.test" })).status).toBe(404);
    expect((await serveFormPage(new Request(`${APP}/f/nope`), "nope")).status).toBe(404);
  });

  it("keep UTM parameters from the hidden fields, else from the page the form was on", async () => {
    const f = await makeForm();
    const e1 = `utm1-${randomUUID().slice(0, 6)}@example.test`;
    const e2 = `utm2-${randomUUID().slice(0, 6)}@example.test`;
    await post(f, { first_name: "U", email: e1, utm_source: "newsletter", utm_campaign: "winter", _covey_t: await aged(f) });
    await post(f, { first_name: "U", email: e2, _covey_t: await aged(f) }, { referer: `${SITE}/pricing?utm_source=google&utm_medium=cpc` });
    expect((await leadsOf(e1))[0].utm).toEqual({ source: "newsletter", campaign: "winter" });
    expect((await leadsOf(e2))[0].utm).toEqual({ source: "google", medium: "cpc" });
    expect((await submissions(f)).map((s) => s.utm)).toEqual([{ source: "newsletter", campaign: "winter" }, { source: "google", medium: "cpc" }]);
  });

  it("answer a plain HTML submission with the thank-you page, or a 303 to the form's redirect", async () => {
    const thanks = await makeForm({ thank_you_message: "Thanks, we call back within a day." });
    const page = await post(thanks, { first_name: "Pat", email: `pat-${randomUUID().slice(0, 6)}@example.test`, _covey_t: await aged(thanks) }, { mode: "form" });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Thanks, we call back within a day.");
    const redirect = await makeForm({ redirect_url: "https://shop.example/thanks" });
    const res = await post(redirect, { first_name: "Pat", email: `pat-${randomUUID().slice(0, 6)}@example.test`, _covey_t: await aged(redirect) }, { mode: "form" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("https://shop.example/thanks");
  });

  it("refuse an unreadable body with a 4xx and store nothing", async () => {
    const f = await makeForm();
    const send = (body: string, type: string) =>
      receiveSubmission(
        new Request(`${APP}/f/${f.key}`, { method: "POST", headers: { "content-type": type, accept: "application/json", "x-forwarded-for": freshIp() }, body }),
        f.key,
      );
    expect((await send("{not json", "application/json")).status).toBe(400);
    expect((await send("[1,2]", "application/json")).status).toBe(400);
    expect((await send("hello", "text/plain")).status).toBe(415);
    expect((await send(JSON.stringify({ first_name: "x".repeat(70_000) }), "application/json")).status).toBe(413);
    expect((await send("--nope\r\nbroken", "multipart/form-data; boundary=xyz")).status).toBe(422);
    const nested = await send(JSON.stringify({ first_name: { a: 1 }, email: "n@example.test", _covey_t: await aged(f) }), "application/json");
    expect(nested.status).toBe(422);
    expect((await nested.json()).error.details.first_name).toEqual(["First name: must be text"]);
  });

  it("serve the hosted page with a token, and a token to listed origins only", async () => {
    const f = await makeForm();
    const page = await serveFormPage(new Request(`${APP}/f/${f.key}?utm_source=flyer`), f.key);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain(`action="/f/${f.key}"`);
    expect(text).toContain('name="utm_source" value="flyer"');
    expect(text).toContain('name="website_url" tabindex="-1"');
    const token = await serveFillToken(new Request(`${APP}/f/${f.key}/token`, { headers: { origin: SITE } }), f.key);
    expect(token.headers.get("access-control-allow-origin")).toBe(SITE);
    expect((await token.json()).token).toMatch(/^\d{13}\./);
    expect((await serveFillToken(new Request(`${APP}/f/${f.key}/token`, { headers: { origin: "https://evil.example" } }), f.key)).status).toBe(403);
  });
});
