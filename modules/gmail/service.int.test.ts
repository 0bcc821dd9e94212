// Sending from a record against real Postgres and the Google stand-in with
// the real SDKs: the email is logged, on the timeline with Gmail's ids,
// emitted as email.sent; a reply stays in its Gmail thread with
// In-Reply-To; refusals are clear and leave nothing half-written.
import postgres from "postgres";
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeySpec, parseKeyring } from "@/lib/crypto/envelope";
import { DomainError } from "@/lib/errors";
import { listTimeline } from "@/modules/crm/timeline";
import { createGoogleStandIn, type GoogleStandIn, LOCAL_GOOGLE_CLIENT, serveGoogle } from "@/supabase/local/google";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { consentUrl, googleConfig } from "./google";
import { composeSchema } from "./schema";
import { disconnect, finishConnect, type GmailDeps, type MemberRun, sendEmail } from "./service";

const t = useTestDatabase();
let google: GoogleStandIn;
let server: Awaited<ReturnType<typeof serveGoogle>>;
let deps: GmailDeps;
let owner: TestUser;
let member: TestUser;
let personId: string;
let dealId: string;
const redirectUri = "http://app.test/api/gmail/callback";

const runAs = (u: TestUser): MemberRun => (fn) => t.db.asUser(u.claims, fn);
const compose = (over: Record<string, unknown> = {}) =>
  composeSchema.parse({ subject: { type: "person", id: personId }, to: "ada@example.com", title: "Hello {{first_name}}", html: "<p>Hi {{first_name}} at {{company}}</p>", ...over });

async function consentCode(email: string): Promise<string> {
  const url = new URL(consentUrl(deps.google(), { redirectUri, state: "s" }));
  const form = new URLSearchParams(url.searchParams);
  form.set("account", email);
  form.set("decision", "allow");
  const res = await fetch(url, { method: "POST", body: form, redirect: "manual" });
  return new URL(res.headers.get("location")!).searchParams.get("code")!;
}

beforeAll(async () => {
  const keys = generateKeySpec("k1");
  google = createGoogleStandIn(LOCAL_GOOGLE_CLIENT);
  server = await serveGoogle(google);
  const env: Record<string, string> = {
    GOOGLE_CLIENT_ID: LOCAL_GOOGLE_CLIENT.clientId,
    GOOGLE_CLIENT_SECRET: LOCAL_GOOGLE_CLIENT.clientSecret,
    GOOGLE_AUTH_URL: `${server.url}/o/oauth2/v2/auth`,
    GOOGLE_OAUTH_URL: server.url,
    GOOGLE_API_URL: server.url,
  };
  deps = { db: t.db, keyring: () => parseKeyring(keys), google: () => googleConfig((n) => env[n]) };
  owner = await createUser(t, { orgName: "Senders" });
  member = await createMember(t, owner.orgId, "member");
  const [c] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Analytical Engines') returning id`;
  [{ id: personId }] = await t.admin`insert into people (org_id, first_name, last_name, email, company_id) values (${owner.orgId}, 'Ada', 'Lovelace', 'ada@example.com', ${c.id}) returning id`;
  const [stage] = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${owner.orgId} order by position limit 1`;
  [{ id: dealId }] = await t.admin`insert into deals (org_id, name, pipeline_id, stage_id, person_id) values (${owner.orgId}, 'Engine', ${stage.pipeline_id}, ${stage.id}, ${personId}) returning id`;
});
afterAll(() => server?.close());

describe("sending from a record", () => {
  it("refuses with a clear message until the member has connected Gmail", async () => {
    const err = await sendEmail(deps, runAs(owner), { userId: owner.id, name: "Olive Owner" }, compose()).catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: "conflict", message: expect.stringMatching(/Connect your Gmail/) });
    expect(await t.admin`select 1 from emails`).toHaveLength(0);
  });

  it("connects through the consent screen's code, sealing the refresh token for the member", async () => {
    const { email } = await finishConnect(deps, runAs(owner), { code: await consentCode("demo.covey@gmail.com"), redirectUri, orgId: owner.orgId, userId: owner.id });
    expect(email).toBe("demo.covey@gmail.com");
    const [m] = await t.admin`select m.status, s.purpose, s.secret from gmail_mailboxes m join org_secrets s on s.id = m.token_secret_id`;
    expect(m.status).toBe("connected");
    expect(m.purpose).toBe(`gmail.refresh_token:${owner.id}`);
    expect(m.secret).not.toMatch(/^1\/\//);
    // The initial import is queued by the connecting transaction.
    expect(await t.admin`select kind from jobs where kind = 'gmail.sync'`).toHaveLength(1);
  });

  it("sends with variables filled, logs it, and puts it on the timeline with Gmail's ids", async () => {
    const sent = await sendEmail(deps, runAs(owner), { userId: owner.id, name: "Olive Owner" }, compose({ cc: "Bob <bob@example.com>", bcc: ["hidden@example.com"] }));
    expect(sent.providerThreadId).toMatch(/^[0-9a-f]{16}$/);
    const [row] = await t.admin`select * from emails where id = ${sent.id}`;
    expect(row).toMatchObject({
      status: "sent",
      direction: "outbound",
      subject: "Hello Ada",
      to_addresses: ["ada@example.com"],
      cc_addresses: ["bob@example.com"],
      bcc_addresses: ["hidden@example.com"],
      provider_message_id: sent.providerMessageId,
      person_id: personId,
      user_id: owner.id,
    });
    expect(row.body_html).toBe("<p>Hi Ada at Analytical Engines</p>");
    const raw = google.mailbox("demo.covey@gmail.com").messages.get(sent.providerMessageId)!.raw;
    const parsed = await PostalMime.parse(raw);
    expect(parsed.messageId).toBe(row.message_id_header);
    expect(parsed.text).toContain("Hi Ada at Analytical Engines");

    const page = await t.db.asUser(member.claims, (tx) => listTimeline(tx, { type: "person", id: personId }));
    const item = page.items.find((i) => i.kind === "email");
    expect(item?.email).toMatchObject({ subject: "Hello Ada", status: "sent", providerThreadId: sent.providerThreadId, providerMessageId: sent.providerMessageId });
    expect(item?.actor).toMatchObject({ id: owner.id, type: "user" });
    const events = await t.admin`select type, data ->> 'provider_thread_id' as thread from domain_events where object_id = ${sent.id}`;
    expect(events).toEqual([{ type: "email.sent", thread: sent.providerThreadId }]);
  });

  it("sends a template's own plain text beside the HTML, filled, and refuses a variable the record has no value for", async () => {
    const sent = await sendEmail(
      deps,
      runAs(owner),
      { userId: owner.id, name: "Olive Owner" },
      compose({ title: "For {{deal_name|your project}}", html: "<p>Hi <strong>{{first_name}}</strong></p>", text: "Hi {{first_name}} -- plain, from {{org_name}}" }),
    );
    const [row] = await t.admin`select subject, body_html, body_text from emails where id = ${sent.id}`;
    expect(row).toEqual({ subject: "For your project", body_html: "<p>Hi <strong>Ada</strong></p>", body_text: "Hi Ada -- plain, from Senders" });
    const raw = google.mailbox("demo.covey@gmail.com").messages.get(sent.providerMessageId)!.raw;
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.text?.trim()).toBe("Hi Ada -- plain, from Senders");
    expect(parsed.html).toContain("<p>Hi <strong>Ada</strong></p>");

    const before = (await t.admin`select count(*)::int as n from emails`)[0].n;
    const refused = await sendEmail(deps, runAs(owner), { userId: owner.id, name: "Olive Owner" }, compose({ title: "About {{deal_value}}" })).catch((e: DomainError) => e);
    expect(refused).toMatchObject({
      code: "validation_failed",
      details: { title: ["The subject uses {{deal_value}}, which this person has no value for. Write the text in, or give a fallback like {{deal_value|…}}."] },
    });
    const unknown = await sendEmail(deps, runAs(owner), { userId: owner.id, name: "Olive Owner" }, compose({ html: "<p>Hi {{nickname}}</p>" })).catch((e: DomainError) => e);
    expect(unknown).toMatchObject({ details: { html: ["The email uses an unknown variable: {{nickname}}. Use one of the listed variables."] } });
    expect((await t.admin`select count(*)::int as n from emails`)[0].n).toBe(before);
  });

  it("replies in the same Gmail thread with In-Reply-To, from a deal (on its person's timeline too)", async () => {
    const first = await sendEmail(deps, runAs(owner), { userId: owner.id, name: "Olive Owner" }, compose({ title: "Thread start" }));
    const reply = await sendEmail(
      deps,
      runAs(owner),
      { userId: owner.id, name: "Olive Owner" },
      compose({ subject: { type: "deal", id: dealId }, title: "Re: Thread start", replyTo: first.id }),
    );
    expect(reply.providerThreadId).toBe(first.providerThreadId);
    const [firstRow] = await t.admin`select message_id_header from emails where id = ${first.id}`;
    const parsed = await PostalMime.parse(google.mailbox("demo.covey@gmail.com").messages.get(reply.providerMessageId)!.raw);
    expect(parsed.inReplyTo).toBe(firstRow.message_id_header);
    const [item] = await t.admin`select deal_id, person_id from timeline_events where email_id = ${reply.id}`;
    expect(item).toEqual({ deal_id: dealId, person_id: personId });
  });

  it("refuses bad recipients by field, and a record of another org as not found, writing nothing", async () => {
    const bad = composeSchema.safeParse({ subject: { type: "person", id: personId }, to: "ada@example.com, not-an-address", title: "x", html: "<p>x</p>" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/To: “not-an-address” is not an email address/);
    const before = (await t.admin`select count(*)::int as n from emails`)[0].n;
    const other = await createUser(t, { orgName: "Elsewhere" });
    const [p] = await t.admin`insert into people (org_id, first_name, email) values (${other.orgId}, 'Zed', 'zed@example.com') returning id`;
    const err = await sendEmail(deps, runAs(owner), { userId: owner.id, name: "O" }, compose({ subject: { type: "person", id: p.id } })).catch((e) => e);
    expect(err).toMatchObject({ code: "not_found" });
    const empty = await sendEmail(deps, runAs(owner), { userId: owner.id, name: "O" }, compose({ html: "<p> </p>" })).catch((e) => e);
    expect(empty).toMatchObject({ code: "validation_failed", details: { html: [expect.any(String)] } });
    expect((await t.admin`select count(*)::int as n from emails`)[0].n).toBe(before);
  });

  it("a member cannot log an email as someone else, or from a mailbox that is not theirs", async () => {
    const [box] = await t.admin`select id from gmail_mailboxes where user_id = ${owner.id}`;
    const forged = await t.db
      .asUser(member.claims, (tx) =>
        tx
          .insertInto("emails")
          .values({ org_id: owner.orgId, mailbox_id: box.id, user_id: member.id, direction: "outbound", provider: "gmail", from_address: "x@y.z", status: "queued" })
          .execute(),
      )
      .catch((e) => e);
    expect(forged).toMatchObject({ code: "42501" });
  });

  it("a token revoked at Google fails the send clearly, keeps it as failed, and marks the mailbox", async () => {
    await fetch(`${server.url}/_dev/revoke`, { method: "POST", body: JSON.stringify({ email: "demo.covey@gmail.com" }) });
    const err = await sendEmail(deps, runAs(owner), { userId: owner.id, name: "O" }, compose({ title: "After revoke" })).catch((e) => e);
    expect(err).toMatchObject({ code: "conflict", message: expect.stringMatching(/no longer accepts/) });
    expect(await t.admin`select status, error from emails where subject = 'After revoke'`).toEqual([{ status: "failed", error: expect.stringMatching(/revoked/i) }]);
    expect(await t.admin`select status from gmail_mailboxes where user_id = ${owner.id}`).toEqual([{ status: "revoked" }]);
    expect(await t.admin`select type from domain_events where type = 'email.failed'`).toHaveLength(1);
  });

  it("disconnecting forgets the token and stops sending", async () => {
    await disconnect(deps, runAs(owner), owner.id);
    expect(await t.admin`select status, token_secret_id from gmail_mailboxes where user_id = ${owner.id}`).toEqual([{ status: "disconnected", token_secret_id: null }]);
    expect(await t.admin`select 1 from org_secrets where purpose = ${`gmail.refresh_token:${owner.id}`}`).toHaveLength(0);
    const err = await sendEmail(deps, runAs(owner), { userId: owner.id, name: "O" }, compose()).catch((e) => e);
    expect(err).toMatchObject({ code: "conflict" });
  });
});
