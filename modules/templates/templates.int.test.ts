// Message templates against real Postgres: the starters every org gets,
// writing them under the policies, variables refused on save, and filling
// them with a real person, lead and deal, missing values included.
import { beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { archiveTemplate, createTemplate, fillForSend, fillTemplate, listTemplates, previewTemplate, recordValues, updateTemplate } from "./service";

const t = useTestDatabase();
let owner: TestUser;
let manager: TestUser;
let member: TestUser;
let colleague: TestUser;
let outsider: TestUser;
let personId: string;
let bareId: string;
let leadId: string;
let dealId: string;

const as = <T>(user: TestUser, fn: Parameters<typeof t.db.asUser<T>>[1]) => t.db.asUser(user.claims, fn);
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as DomainError);

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Acme Homes", fullName: "Olivia Owner" });
  manager = await createMember(t, owner.orgId, "manager");
  member = await createMember(t, owner.orgId, "member");
  colleague = await createMember(t, owner.orgId, "member");
  outsider = await createUser(t, { orgName: "Other Co" });
  await t.admin`update profiles set full_name = 'Sam Sender' where user_id = ${member.id}`;
  const [{ id: companyId }] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Lovelace & Co') returning id`;
  [{ id: personId }] = await t.admin`
    insert into people (org_id, first_name, last_name, email, phone, company_id, owner_id)
    values (${owner.orgId}, 'Ada', 'Lovelace', 'ada@example.com', '+14155550123', ${companyId}, ${owner.id}) returning id`;
  [{ id: bareId }] = await t.admin`insert into people (org_id, email) values (${owner.orgId}, 'nobody@example.com') returning id`;
  [{ id: leadId }] = await t.admin`
    insert into leads (org_id, source, first_name, last_name, company_name) values (${owner.orgId}, 'manual', 'Lee', 'Lead', 'Leeward Ltd') returning id`;
  const [pipeline] = await t.admin`select p.id as pipeline_id, s.id as stage_id from pipelines p join pipeline_stages s on s.pipeline_id = p.id where p.org_id = ${owner.orgId} order by s.position limit 1`;
  [{ id: dealId }] = await t.admin`
    insert into deals (org_id, name, pipeline_id, stage_id, value_minor, currency, person_id, owner_id)
    values (${owner.orgId}, 'Kitchen remodel', ${pipeline.pipeline_id}, ${pipeline.stage_id}, 1250000, 'USD', ${personId}, ${manager.id}) returning id`;
});

describe("starters", () => {
  it("gives every new org SMS and email templates whose variables all fill from a person", async () => {
    const templates = await as(member, (tx) => listTemplates(tx));
    expect(templates.filter((x) => x.channel === "sms").map((x) => x.name)).toEqual(["Appointment reminder", "Follow-up", "Introduction", "Missed call"]);
    expect(templates.filter((x) => x.channel === "email").map((x) => x.name)).toEqual(["Follow-up", "Introduction", "Meeting recap", "Proposal sent"]);
    const values = await as(member, (tx) => recordValues(tx, { type: "person", id: bareId }, member.id));
    for (const x of templates) {
      expect(() => fillForSend(x.body, values, { field: "body", label: x.name, html: x.channel === "email", record: "person" })).not.toThrow();
    }
    const other = await as(outsider, (tx) => listTemplates(tx));
    expect(other).toHaveLength(8);
    expect(other.map((x) => x.id).filter((id) => templates.some((x) => x.id === id))).toEqual([]);
  });
});

describe("writing templates", () => {
  it("lets a member write their own, sanitising an email's HTML and keeping only plain text of their own", async () => {
    const made = await as(member, (tx) =>
      createTemplate(tx, member.id, member.orgId, {
        channel: "email",
        name: "  Quote ready ",
        subject: "Your quote, {{first_name|there}}",
        body: '<p>Hi {{first_name}},</p><script>alert(1)</script><p onclick="x()">Your quote for <strong>{{deal_name}}</strong> is {{deal_value}}.</p>',
        textBody: "Hi {{first_name}},\n\nYour quote for {{deal_name}} is {{deal_value}}.",
      }),
    );
    expect(made).toMatchObject({ name: "Quote ready", channel: "email", createdBy: member.id, createdByName: "Sam Sender" });
    expect(made.body).toBe("<p>Hi {{first_name}},</p><p>Your quote for <strong>{{deal_name}}</strong> is {{deal_value}}.</p>");
    expect(made.textBody).toBe("Hi {{first_name}},\n\nYour quote for {{deal_name}} is {{deal_value}}.");

    const generated = await as(member, (tx) =>
      updateTemplate(tx, made.id, { name: "Quote ready", subject: made.subject, body: made.body, textBody: "Hi {{first_name}},\nYour quote for {{deal_name}} is {{deal_value}}." }),
    );
    expect(generated.textBody).toBeNull();
  });

  it("refuses an unknown variable on save, naming it on its field, and stores nothing", async () => {
    const e = await refusal(
      as(member, (tx) => createTemplate(tx, member.id, member.orgId, { channel: "sms", name: "Typo", body: "Hi {{firstname}}, from {{org_name}} {{ Company }}" })),
    );
    expect(e).toBeInstanceOf(DomainError);
    expect(e!.code).toBe("validation_failed");
    expect(e!.details?.body?.[0]).toBe("The message uses unknown variables: {{firstname}}, {{Company}}. Use one of the listed variables.");
    const subject = await refusal(
      as(member, (tx) => createTemplate(tx, member.id, member.orgId, { channel: "email", name: "Typo", subject: "For {{frist_name}}", body: "<p>Hi</p>" })),
    );
    expect(subject!.details?.subject?.[0]).toMatch(/\{\{frist_name\}\}/);
    const unclosed = await refusal(as(member, (tx) => createTemplate(tx, member.id, member.orgId, { channel: "sms", name: "Typo", body: "Hi {{first_name" })));
    expect(unclosed!.details?.body?.[0]).toMatch(/not part of a variable/);
    expect((await t.admin`select count(*)::int as n from message_templates where name = 'Typo'`)[0].n).toBe(0);
  });

  it("refuses a second live template of the same name and channel, but not on the other channel or once archived", async () => {
    const sms = await as(member, (tx) => createTemplate(tx, member.id, member.orgId, { channel: "sms", name: "Running late", body: "Running 10 minutes late, sorry!" }));
    const dup = await refusal(as(colleague, (tx) => createTemplate(tx, colleague.id, colleague.orgId, { channel: "sms", name: "running LATE", body: "Late" })));
    expect(dup).toMatchObject({ code: "conflict" });
    expect(dup!.details?.name?.[0]).toMatch(/already exists/);
    await as(member, (tx) => createTemplate(tx, member.id, member.orgId, { channel: "email", name: "Running late", subject: "Late", body: "<p>Late</p>" }));
    await as(member, (tx) => archiveTemplate(tx, sms.id, true));
    const again = await as(colleague, (tx) => createTemplate(tx, colleague.id, colleague.orgId, { channel: "sms", name: "Running late", body: "On my way" }));
    expect(again.name).toBe("Running late");
    expect((await as(member, (tx) => listTemplates(tx, { channel: "sms" }))).some((x) => x.id === sms.id)).toBe(false);
    expect((await as(member, (tx) => listTemplates(tx, { channel: "sms", archived: true }))).find((x) => x.id === sms.id)?.archivedAt).toBeTruthy();
    expect(await refusal(as(member, (tx) => archiveTemplate(tx, sms.id, false)))).toMatchObject({ code: "conflict" });
  });

  it("lets managers and up change anyone's template, and members only their own", async () => {
    const mine = await as(member, (tx) => createTemplate(tx, member.id, member.orgId, { channel: "sms", name: "Thanks", body: "Thanks {{first_name|}}!" }));
    const byColleague = await refusal(as(colleague, (tx) => updateTemplate(tx, mine.id, { name: "Hijacked", body: "Hijacked" })));
    expect(byColleague).toMatchObject({ code: "forbidden" });
    expect(await refusal(as(colleague, (tx) => archiveTemplate(tx, mine.id, true)))).toMatchObject({ code: "forbidden" });
    const edited = await as(manager, (tx) => updateTemplate(tx, mine.id, { name: "Thanks!", body: "Thanks so much, {{first_name|}}!" }));
    expect(edited).toMatchObject({ name: "Thanks!", createdBy: member.id });
    const [starter] = await t.admin`select id from message_templates where org_id = ${owner.orgId} and channel = 'sms' and name = 'Follow-up'`;
    expect(await refusal(as(member, (tx) => updateTemplate(tx, starter.id, { name: "Mine now", body: "x" })))).toMatchObject({ code: "forbidden" });
    await as(owner, (tx) => archiveTemplate(tx, starter.id, true));
    await as(owner, (tx) => archiveTemplate(tx, starter.id, false));
  });

  it("keeps every org to its own templates, whatever a client sends", async () => {
    const [theirs] = await t.admin`select id from message_templates where org_id = ${outsider.orgId} limit 1`;
    expect(await refusal(as(owner, (tx) => updateTemplate(tx, theirs.id, { name: "x", body: "x" })))).toMatchObject({ code: "not_found" });
    const forged = await refusal(
      as(member, (tx) => tx.insertInto("message_templates").values({ org_id: outsider.orgId, channel: "sms", name: "Forged", body: "x", created_by: member.id }).execute()),
    );
    expect((forged as unknown as { code: string }).code).toBe("42501");
    const asSomeoneElse = await refusal(
      as(member, (tx) => tx.insertInto("message_templates").values({ org_id: member.orgId, channel: "sms", name: "Forged", body: "x", created_by: owner.id }).execute()),
    );
    expect((asSomeoneElse as unknown as { code: string }).code).toBe("42501");
    const moved = await as(owner, (tx) => tx.updateTable("message_templates").set({ body: "changed" }).where("id", "=", theirs.id).executeTakeFirst());
    expect(Number(moved.numUpdatedRows)).toBe(0);
  });
});

describe("filling templates with a real record", () => {
  it("fills a person's, the sender's and the org's values", async () => {
    const [intro] = await t.admin`select id from message_templates where org_id = ${owner.orgId} and channel = 'sms' and name = 'Introduction'`;
    const filled = await as(member, (tx) => fillTemplate(tx, member.id, { templateId: intro.id, record: { type: "person", id: personId } }));
    expect(filled).toMatchObject({
      body: "Hi Ada, this is Sam from Acme Homes. Thanks for reaching out! When is a good time to talk?",
      subject: null,
      missing: [],
    });
  });

  it("fills a deal's name and value, its person and company, and its owner", async () => {
    const values = await as(member, (tx) => recordValues(tx, { type: "deal", id: dealId }, member.id));
    expect(values).toMatchObject({
      first_name: "Ada",
      full_name: "Ada Lovelace",
      company: "Lovelace & Co",
      deal_name: "Kitchen remodel",
      deal_value: "$12,500.00",
      my_name: "Sam Sender",
      org_name: "Acme Homes",
    });
    const [{ full_name: managerName }] = await t.admin`select full_name from profiles where user_id = ${manager.id}`;
    expect(values.owner_name).toBe(managerName);
  });

  it("fills an email template's HTML escaped and its own plain text as it is", async () => {
    const made = await as(member, (tx) =>
      createTemplate(tx, member.id, member.orgId, {
        channel: "email",
        name: "Company hello",
        subject: "Hello {{company}}",
        body: "<p>Dear {{full_name}} at {{company}}</p>",
        textBody: "Dear {{full_name}} at {{company}} (text)",
      }),
    );
    const filled = await as(member, (tx) => fillTemplate(tx, member.id, { templateId: made.id, record: { type: "person", id: personId } }));
    expect(filled).toMatchObject({
      subject: "Hello Lovelace & Co",
      body: "<p>Dear Ada Lovelace at Lovelace &amp; Co</p>",
      textBody: "Dear Ada Lovelace at Lovelace & Co (text)",
      missing: [],
    });
  });

  it("fills a lead with its own company name, and leaves what it lacks to be filled in before sending", async () => {
    const made = await as(member, (tx) =>
      createTemplate(tx, member.id, member.orgId, { channel: "sms", name: "Lead check", body: "Hi {{first_name}} at {{company}}, about {{deal_name}} ({{email|no email}})" }),
    );
    const filled = await as(member, (tx) => fillTemplate(tx, member.id, { templateId: made.id, record: { type: "lead", id: leadId } }));
    expect(filled).toEqual({
      templateId: made.id,
      subject: null,
      body: "Hi Lee at Leeward Ltd, about {{deal_name}} (no email)",
      textBody: null,
      missing: ["deal_name"],
    });
    const values = await as(member, (tx) => recordValues(tx, { type: "lead", id: leadId }, member.id));
    let e: unknown;
    try {
      fillForSend(filled.body, values, { field: "body", label: "The message", record: "lead" });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).details?.body?.[0]).toBe(
      "The message uses {{deal_name}}, which this lead has no value for. Write the text in, or give a fallback like {{deal_name|…}}.",
    );
  });

  it("previews an email being edited with a picked record: HTML as sent, plain text generated from it", async () => {
    const preview = await as(member, (tx) =>
      previewTemplate(tx, member.id, {
        channel: "email",
        subject: "For {{first_name|you}}",
        body: "<p>Hi <em>{{first_name}}</em>,</p><p>{{deal_value|Free}} for {{company}}</p><img src=x>",
        record: { type: "person", id: bareId },
      }),
    );
    expect(preview).toEqual({
      subject: "For you",
      body: "<p>Hi <em>{{first_name}}</em>,</p><p>Free for {{company}}</p>",
      text: "Hi {{first_name}},\nFree for {{company}}",
      generatedText: "Hi {{first_name}},\n{{deal_value|Free}} for {{company}}",
      missing: ["first_name", "company"],
    });
  });

  it("previews with the sender's and the org's values before a record is picked", async () => {
    const preview = await as(member, (tx) => previewTemplate(tx, member.id, { channel: "sms", body: "{{my_first_name}} at {{org_name}} for {{first_name|you}} {{company}}" }));
    expect(preview).toMatchObject({ body: "Sam at Acme Homes for you {{company}}", missing: ["company"] });
  });

  it("does not fill another org's record or an archived template", async () => {
    const [theirPerson] = await t.admin`insert into people (org_id, first_name) values (${outsider.orgId}, 'Eve') returning id`;
    const [intro] = await t.admin`select id from message_templates where org_id = ${owner.orgId} and channel = 'sms' and name = 'Introduction'`;
    expect(await refusal(as(member, (tx) => fillTemplate(tx, member.id, { templateId: intro.id, record: { type: "person", id: theirPerson.id } })))).toMatchObject({
      code: "not_found",
    });
    const made = await as(member, (tx) => createTemplate(tx, member.id, member.orgId, { channel: "sms", name: "Old", body: "Old" }));
    await as(member, (tx) => archiveTemplate(tx, made.id, true));
    expect(await refusal(as(member, (tx) => fillTemplate(tx, member.id, { templateId: made.id, record: { type: "person", id: personId } })))).toMatchObject({
      code: "gone",
    });
  });
});
