// The system's own mail is logged beside members' Gmail: with the org it
// was sent for, or its recipient's, and never with its body (a sign-in or
// reset link must not be readable by the recipient's colleagues).
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendMailFromEdge } from "@/lib/mail/edge";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();
let service: postgres.Sql;
let owner: TestUser;
const ctx = () => ({ sql: service, env: (n: string) => ({ MAIL_DRIVER: "dev", MAIL_FROM: "Covey <no-reply@covey.local>" })[n] ?? "", fetch });
const mail = { subject: "Your sign-in link", html: "<p>https://app/secret-link</p>", text: "https://app/secret-link", tag: "magiclink" };

beforeAll(async () => {
  service = postgres(t.appUrl, { max: 2, onnotice: () => {}, connection: { role: "service_role" } });
  owner = await createUser(t, { orgName: "Logged Mail" });
});
afterAll(() => service?.end());

describe("system email log", () => {
  it("logs mail sent for an org, and mail to a member under the member's org, without the body", async () => {
    await sendMailFromEdge(ctx(), { ...mail, to: "partner@lonestar.example", orgId: owner.orgId, subject: "New lead offer", tag: "partner_offer" });
    const [{ email }] = await t.admin`select email from auth.users where id = ${owner.id}`;
    await sendMailFromEdge(ctx(), { ...mail, to: email });
    const rows = await t.admin`select org_id, direction, provider, status, tag, to_addresses, subject, body_html, body_text, snippet from emails order by created_at`;
    expect(rows).toEqual([
      { org_id: owner.orgId, direction: "outbound", provider: "dev_mailbox", status: "sent", tag: "partner_offer", to_addresses: ["partner@lonestar.example"], subject: "New lead offer", body_html: null, body_text: null, snippet: null },
      { org_id: owner.orgId, direction: "outbound", provider: "dev_mailbox", status: "sent", tag: "magiclink", to_addresses: [email.toLowerCase()], subject: "Your sign-in link", body_html: null, body_text: null, snippet: null },
    ]);
    expect(await t.admin`select type from domain_events where object_type = 'email'`).toHaveLength(2);
  });

  it("logs nothing for someone who belongs to no org yet, and still delivers", async () => {
    const before = (await t.admin`select count(*)::int as n from emails`)[0].n;
    await sendMailFromEdge(ctx(), { ...mail, to: "newcomer@example.com" });
    expect((await t.admin`select count(*)::int as n from emails`)[0].n).toBe(before);
    expect(await t.admin`select 1 from local_dev.mailbox where to_address = 'newcomer@example.com'`).toHaveLength(1);
  });
});
