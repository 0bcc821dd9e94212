// Every REST operation, each string it takes (body fields, query and path
// parameters) replaced in turn by what a careless or hostile caller sends:
// NUL, lone surrogates, very long text, wrong types, days that do not exist.
// None may reach the database as a 500; NUL and impossible dates must be a
// 422 naming the field. Operations come from the operations table, so a new
// one is fuzzed as soon as it exists (and fails here until it has a valid
// base request below).
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateKeySpec, parseKeyring, sealSecret } from "@/lib/crypto/envelope";
import { API_SCOPES } from "@/lib/api/scopes";
import type { Operation } from "@/modules/api/core/operation";
import { operations } from "@/modules/api/operations";
import { routeApiRequest } from "@/modules/api/router";
import { createCustomField } from "@/modules/crm/custom-fields/service";
import { consentUrl, exchangeCode, googleConfig } from "@/modules/gmail/edge";
import { createGoogleStandIn, LOCAL_GOOGLE_CLIENT, serveGoogle } from "@/supabase/local/google";
import { createTwilioStandIn, serveTwilio } from "@/supabase/local/twilio";
import { createTestKey } from "@/tests/support/api";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();
let owner: TestUser;
let token: string;
const ids: Record<string, string> = {};

interface Reply {
  status: number;
  body: { error?: { code: string; details?: Record<string, string[]> } } & Record<string, unknown>;
}

async function send(method: string, path: string, body?: unknown): Promise<Reply> {
  const headers = new Headers({ authorization: `Bearer ${token}` });
  if (body !== undefined) headers.set("content-type", "application/json");
  const reply = await routeApiRequest(
    new Request(`http://localhost/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
  );
  return { status: reply.status, body: JSON.parse(JSON.stringify(reply.body ?? null)) };
}

async function created(path: string, body: unknown): Promise<string> {
  const r = await send("POST", path, body);
  expect([path, r.status]).toEqual([path, 201]);
  return r.body.id as string;
}

// The record each `{id}` names, by the path's first segment.
const RESOURCE_OF: Record<string, string> = {
  leads: "lead",
  people: "person",
  companies: "company",
  deals: "deal",
  pipelines: "pipeline",
  stages: "stage",
  tasks: "task",
  notes: "note",
  emails: "email",
  calls: "call",
  matches: "match",
};

// Handoffs work on a deal of their own, which submitting moves into the handoff stage and denying moves out.
const idOf = (op: Operation) => (op.path.includes("/handoff") ? ids.handoffDeal : ids[RESOURCE_OF[op.path.split("/")[1]]]);

const pathOf = (op: Operation, id?: string) =>
  op.path.replace("{id}", id ?? idOf(op) ?? "missing").replace("{date_id}", ids.dealDate ?? "missing");

/** A request each operation accepts, from which one field at a time is spoiled. */
async function baseBody(op: Operation): Promise<Record<string, unknown> | undefined> {
  switch (op.id) {
    case "createLead":
      return { first_name: "Lena", source: "web_form", custom: { nickname: "Le" } };
    case "updateLead":
      return { message: "Call me after five" };
    case "convertLead":
      return {};
    case "createPerson":
      return { first_name: "Ada", last_name: "Lovelace", custom: { nickname: "Ada" } };
    case "updatePerson":
      return { title: "Countess" };
    case "createCompany":
      return { name: "Analytical Engines", custom: { nickname: "AE" } };
    case "updateCompany":
      return { industry: "Computing" };
    case "createDeal":
      return { name: "Difference engine", stage_id: ids.stage, custom: { nickname: "DE" } };
    case "updateDeal":
      return { value_minor: 1000 };
    case "moveDeal":
      return { stage_id: ids.stage, position: "top" };
    case "setDealStatus":
      return { status: "open" };
    case "createDealDate":
      return { kind: "Renewal", date: "2031-04-10", note: "Send the quote", remind_days_before: 7 };
    case "updateDealDate":
      return { note: "Bring the contract" };
    case "submitDealHandoff":
      return { stage_id: ids.handoffStage };
    case "denyDealHandoff":
      return { reason: "Missing the medical records" };
    case "createPipeline":
      return { name: "Partners" };
    case "updatePipeline":
      return { name: "Sales" };
    case "createStage":
      return { name: "Qualified", probability: 20, outcome: "open" };
    case "reorderStages": {
      const pipeline = await send("GET", `/pipelines/${ids.pipeline}`);
      return { ids: (pipeline.body.stages as { id: string }[]).map((s) => s.id).reverse() };
    }
    case "updateStage":
      return { name: "Lead" };
    case "createTask":
      return { title: "Call back" };
    case "updateTask":
      return { priority: "high" };
    case "createNote":
      return { body_html: "<p>Met at the fair</p>", person_id: ids.person };
    case "updateNote":
      return { body_html: "<p>Met at the fair, again</p>" };
    case "sendMessage":
      return { person_id: ids.textee, body: "Your order shipped" };
    case "logCall":
      return { person_id: ids.textee, direction: "outbound", outcome: "connected", duration_seconds: 90, notes: "Quoted the job", started_at: "2026-12-01T15:00:00Z" };
    case "placeCall":
      return { person_id: ids.textee };
    case "proposeMatch":
      return { deal_id: ids.account, counterpart_deal_id: ids.partner };
    case "advanceMatch":
      return {};
    case "declineMatch":
      return { declined_by: "right", reason: "Looking elsewhere" };
    case "sendEmail":
      return { person_id: ids.person, to: ["ada@example.com"], subject: "Hello {{first_name}}", body_html: "<p>Hi</p>" };
    default:
      return undefined;
  }
}

type Json = { type?: string | string[]; anyOf?: Json[]; properties?: Record<string, Json>; format?: string };

const typesOf = (s: Json): string[] => [
  ...(Array.isArray(s.type) ? s.type : s.type ? [s.type] : []),
  ...(s.anyOf ?? []).flatMap(typesOf),
];

const propertiesOf = (schema: z.ZodType | undefined): Record<string, Json> =>
  schema ? ((z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json).properties ?? {}) : {};

const NUL = "a\u0000b";
const IMPOSSIBLE_DAYS = ["2026-02-31", "2026-02-29", "2026-13-01", "2026-02-31T10:00:00Z"];
const DATE_FIELDS = new Set(["expected_close_date", "due_at", "last_contacted_at", "started_at", "date"]);

/** Values for one field, beside NUL (checked on its own): none may be a 5xx. */
const SPOILED: unknown[] = [
  "\ud800",
  "a\udfffb",
  "x".repeat(100_000),
  "",
  " ",
  12345,
  -1.5,
  1e308,
  true,
  null,
  {},
  { a: NUL },
  [],
  [NUL],
  ["\ud800", 1, null],
  ...IMPOSSIBLE_DAYS,
];

// Query and path values go through the URL: percent-encoded as a client would send them.
const SPOILED_PARAMS = ["a%00b", "%00", "%ED%A0%80", "%F0%9F%98", "%FF", "x".repeat(3000), "2026-02-31", "-1", "1e400", "%27%3B--"];

/** The field a 422 names: the key itself or one nested under it (`tags.0`, `custom.nickname`). */
const names = (r: Reply, field: string) =>
  Object.keys(r.body.error?.details ?? {}).some((k) => k === field || k.startsWith(`${field}.`));

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Fuzz Org" });
  ({ token } = await createTestKey(t, owner, [...API_SCOPES], { rateLimitPerMinute: 1_000_000 }));
  const admin = { claims: owner.claims, orgId: owner.orgId, role: "owner" as const };
  for (const objectType of ["person", "company", "deal", "lead"] as const) {
    await createCustomField(t.db, admin, { objectType, label: "Nickname", key: "nickname", type: "text" });
  }
  const pipelines = await send("GET", "/pipelines");
  const [pipeline] = pipelines.body.data as { id: string; stages: { id: string }[] }[];
  ids.pipeline = pipeline.id;
  ids.stage = pipeline.stages[0].id;
  ids.company = await created("/companies", { name: "Fuzz Co" });
  ids.person = await created("/people", { first_name: "Fuzz", company_id: ids.company });
  ids.deal = await created("/deals", { name: "Fuzz deal", stage_id: ids.stage });
  // The second stage hands off: accept moves on to the third, deny back to the first.
  const [first, second, third] = pipeline.stages;
  await t.admin`update pipeline_stages set handoff_accept_stage_id = ${third.id}, handoff_deny_stage_id = ${first.id} where id = ${second.id}`;
  ids.handoffStage = second.id;
  ids.handoffDeal = await created("/deals", { name: "Fuzz handoff", stage_id: first.id });
  ids.dealDate = await created(`/deals/${ids.deal}/dates`, { kind: "Fuzz", date: "2031-01-01" });
  ids.task = await created("/tasks", { title: "Fuzz task" });
  ids.note = await created("/notes", { body_html: "<p>Fuzz</p>", person_id: ids.person });
  ids.lead = await created("/leads", { first_name: "Fuzz lead", email: "fuzz@lead.example" });
  // Texting needs one of the org's numbers and a contact with a phone.
  await t.admin`insert into phones (org_id, number) values (${owner.orgId}, '+15125550177')`;
  ids.textee = await created("/people", { first_name: "Texted", phone: "+14155550177" });
  ids.call = await created("/calls", { person_id: ids.textee, direction: "inbound", outcome: "connected" });
  ids.email = (await connectGmail()) && (await created("/emails", { person_id: ids.person, to: ["ada@example.com"], subject: "Fuzz", body_html: "<p>Fuzz</p>" }));
  await connectTwilio();
  // Matching pairs the first pipeline with a second; a match of two of their deals is the one `{id}` names.
  const [partners] = await t.admin`insert into pipelines (org_id, name) values (${owner.orgId}, 'Partners') returning id`;
  const [ready] = await t.admin`insert into pipeline_stages (org_id, pipeline_id, name) values (${owner.orgId}, ${partners.id}, 'Ready') returning id`;
  await t.admin`insert into match_settings (org_id, left_pipeline_id, right_pipeline_id, left_label, right_label)
                values (${owner.orgId}, ${ids.pipeline}, ${partners.id}, 'Account', 'Partner')`;
  ids.account = await created("/deals", { name: "Fuzz account", stage_id: ids.stage });
  ids.partner = await created("/deals", { name: "Fuzz partner", stage_id: ready.id });
  ids.match = await created("/matches", { deal_id: ids.deal, counterpart_deal_id: ids.partner });
});
afterAll(async () => {
  process.env = savedEnv;
  await google?.close();
  await twilio?.close();
});

// Placing a call needs the org's Twilio account (the stand-in) and the key's member's own phone.
let twilio: Awaited<ReturnType<typeof serveTwilio>> | undefined;
async function connectTwilio() {
  const standIn = createTwilioStandIn();
  standIn.settings.stepMs = 0;
  twilio = await serveTwilio(standIn);
  // Nothing listens for the status callbacks: the stand-in lets them fail.
  Object.assign(process.env, { TWILIO_API_URL: twilio.url, TWILIO_WEBHOOK_BASE_URL: "http://127.0.0.1:9/functions/v1" });
  const account = standIn.addAccount();
  const sealed = await sealSecret(await parseKeyring(process.env.COVEY_SECRET_KEYS), account.authToken, { orgId: owner.orgId, purpose: "twilio.auth_token" });
  const [secret] = await t.admin`insert into org_secrets (org_id, purpose, secret, key_id, hint) values (${owner.orgId}, 'twilio.auth_token', ${sealed}, 'k1', 'abcd') returning id`;
  await t.admin`insert into twilio_accounts (org_id, account_sid, auth_token_secret_id) values (${owner.orgId}, ${account.sid}, ${secret.id})`;
  await t.admin`update profiles set phone = '+15125550178' where user_id = ${owner.id}`;
}

// Sending email needs the key's member's Gmail connected, here to the Google stand-in.
const savedEnv = { ...process.env };
let google: Awaited<ReturnType<typeof serveGoogle>> | undefined;
async function connectGmail(): Promise<true> {
  google = await serveGoogle(createGoogleStandIn(LOCAL_GOOGLE_CLIENT));
  Object.assign(process.env, {
    COVEY_SECRET_KEYS: generateKeySpec("k1"),
    GOOGLE_CLIENT_ID: LOCAL_GOOGLE_CLIENT.clientId,
    GOOGLE_CLIENT_SECRET: LOCAL_GOOGLE_CLIENT.clientSecret,
    GOOGLE_AUTH_URL: `${google.url}/o/oauth2/v2/auth`,
    GOOGLE_OAUTH_URL: google.url,
    GOOGLE_API_URL: google.url,
  });
  const config = googleConfig((n) => process.env[n]);
  const url = new URL(consentUrl(config, { redirectUri: "http://fuzz/callback", state: "s" }));
  const form = new URLSearchParams(url.searchParams);
  form.set("account", "fuzz.covey@gmail.com");
  form.set("decision", "allow");
  const res = await fetch(url, { method: "POST", body: form, redirect: "manual" });
  const tokens = await exchangeCode(config, new URL(res.headers.get("location")!).searchParams.get("code")!, "http://fuzz/callback");
  const sealed = await sealSecret(await parseKeyring(process.env.COVEY_SECRET_KEYS), tokens.refreshToken, { orgId: owner.orgId, purpose: `gmail.refresh_token:${owner.id}` });
  await t.db.asUser(owner.claims, (tx) => sql`select public.connect_gmail_mailbox('fuzz.covey@gmail.com', ${sealed}, 'x')`.execute(tx));
  return true;
}

const bodyOps = operations.filter((op) => op.body);

describe("the REST API under hostile input", () => {
  it("has a base request for every operation with a body, and each succeeds", async () => {
    for (const op of bodyOps) {
      const base = await baseBody(op);
      expect(base, `${op.id} needs a base body in this test`).toBeDefined();
      const r = await send(op.method.toUpperCase(), pathOf(op), base);
      expect([op.id, r.status < 300]).toEqual([op.id, true]);
    }
  });

  it("answers every spoiled body field without a 5xx, and NUL with a 422 naming the field", async () => {
    const failures: string[] = [];
    for (const op of bodyOps) {
      const base = (await baseBody(op)) ?? {};
      for (const [field, schema] of Object.entries(propertiesOf(op.body))) {
        const values: unknown[] = [NUL, ...SPOILED];
        const isList = typesOf(schema).includes("array");
        const isObject = typesOf(schema).includes("object");
        if (isList) values.push([NUL]);
        if (isObject) values.push({ nickname: NUL }, { [NUL]: "x" }, { nickname: "\ud800" }, { nickname: ["x", NUL] });
        for (const value of values) {
          const r = await send(op.method.toUpperCase(), pathOf(op), { ...base, [field]: value });
          const shown = JSON.stringify(value).slice(0, 40);
          if (r.status >= 500) failures.push(`${op.id} ${field}=${shown}: ${r.status}`);
          const mustRefuse = value === NUL || (Array.isArray(value) && value[0] === NUL) || JSON.stringify(value).includes("\\u0000");
          if (mustRefuse && !(r.status === 422 && names(r, field))) {
            failures.push(`${op.id} ${field}=${shown}: ${r.status} ${JSON.stringify(r.body.error?.details ?? r.body.error?.code)}`);
          }
          if (DATE_FIELDS.has(field) && IMPOSSIBLE_DAYS.includes(value as string) && !(r.status === 422 && names(r, field))) {
            failures.push(`${op.id} ${field}=${shown}: ${r.status}, not a 422 naming it`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // One request per spoiled value of every body field of every operation: it grows with the API, past the default 30 s on a busy machine.
  }, 120_000);

  it("refuses a body that is not a JSON object without a 5xx", async () => {
    const failures: string[] = [];
    for (const op of bodyOps) {
      for (const body of [[], "text", 1, null, [{}], { [NUL]: 1 }]) {
        const r = await send(op.method.toUpperCase(), pathOf(op), body);
        if (r.status >= 500 || r.status < 400) failures.push(`${op.id} ${JSON.stringify(body)}: ${r.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers every spoiled query parameter without a 5xx, and NUL with a 4xx", async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.query)) {
      const params = Object.keys(propertiesOf(op.query));
      const filters = ["first_name:eq:a%00b", "name:contains:%00", "created_at:gt:2026-02-31", "expected_close_date:eq:2026-02-31", "%00:eq:x"];
      for (const param of params) {
        for (const value of param === "f" ? [...SPOILED_PARAMS, ...filters] : SPOILED_PARAMS) {
          const r = await send(op.method.toUpperCase(), `${pathOf(op)}?${param}=${value}`);
          if (r.status >= 500) failures.push(`${op.id} ?${param}=${value.slice(0, 40)}: ${r.status}`);
          if (value.includes("%00") && (r.status < 400 || r.status >= 500)) {
            failures.push(`${op.id} ?${param}=${value.slice(0, 40)}: ${r.status}, not a 4xx`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers a spoiled path id with a 404", async () => {
    const failures: string[] = [];
    for (const op of operations.filter((o) => o.path.includes("{id}"))) {
      for (const value of SPOILED_PARAMS) {
        const r = await send(op.method.toUpperCase(), pathOf(op, value), await baseBody(op));
        if (r.status !== 404) failures.push(`${op.id} id=${value.slice(0, 40)}: ${r.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("keeps the records it set up readable: nothing was half-written", async () => {
    for (const [resource, path] of [["person", "/people"], ["company", "/companies"], ["deal", "/deals"], ["task", "/tasks"], ["note", "/notes"], ["lead", "/leads"], ["call", "/calls"]]) {
      const r = await send("GET", `${path}/${ids[resource]}`);
      expect([resource, r.status]).toEqual([resource, 200]);
    }
  });
});
