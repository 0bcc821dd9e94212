import { beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { createNote, deleteNote, EMPTY_NOTE_MESSAGE, updateNote } from "./service";

const t = useTestDatabase();
let owner: TestUser;
let admin: TestUser;
let author: TestUser;
let colleague: TestUser;
let stranger: TestUser;
let company: { id: string };
let person: { id: string };

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Notes Co" });
  admin = await createMember(t, owner.orgId, "admin");
  author = await createMember(t, owner.orgId, "member");
  colleague = await createMember(t, owner.orgId, "member");
  stranger = await createUser(t, { orgName: "Elsewhere" });
  [company] = await t.admin`insert into companies (org_id, name) values (${owner.orgId}, 'Acme') returning id`;
  [person] = await t.admin`insert into people (org_id, first_name, company_id) values (${owner.orgId}, 'Ada', ${company.id}) returning id`;
});

const write = (user: TestUser, html: string, subject: { type: "person" | "company" | "deal"; id: string } = { type: "person", id: person.id }) =>
  t.db.asUser(user.claims, (tx) => createNote(tx, { orgId: user.orgId }, { subject, html }));

async function stored(id: string) {
  const [row] = await t.admin`select body_html, body_text, author_id from notes where id = ${id}`;
  return row;
}

describe("writing notes", () => {
  it.each([
    ['<p>Hi</p><script>alert("x")</script>', "<p>Hi</p>"],
    ["<p>Hi<img src=x onerror=alert(1)></p>", "<p>Hi</p>"],
    ['<p onclick="alert(1)">Hi <strong>there</strong></p>', "<p>Hi <strong>there</strong></p>"],
    ['<p><a href="javascript:alert(1)">link</a></p>', "<p>link</p>"],
    ['<p><a href="https://example.com" onmouseover="x()">ok</a></p>', '<p><a href="https://example.com" rel="noopener noreferrer nofollow" target="_blank">ok</a></p>'],
    ["<h1>Title</h1><ul><li><b>one</b></li></ul><iframe src=//evil></iframe>", "Title<ul><li><strong>one</strong></li></ul>"],
    ['<svg><script>alert(1)</script></svg><p style="color:red">x</p>', "<p>x</p>"],
  ])("sanitises %s before it is stored", async (input, expected) => {
    const { id } = await write(author, input);
    const row = await stored(id);
    expect(row.body_html).toBe(expected);
    expect(row.body_html).not.toMatch(/script|onerror|onclick|javascript:|<img|<iframe|style=/i);
    expect(row.author_id).toBe(author.id);
  });

  it("stores the plain text beside the HTML", async () => {
    const { id } = await write(author, "<p>First &amp; second</p><ul><li>one</li><li>two</li></ul>");
    expect((await stored(id)).body_text).toBe("First & second one two");
  });

  it.each(["", "<p></p>", "<p> <br></p>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"])(
    "refuses an empty note (%s) with a message on the body",
    async (html) => {
      const err = await write(author, html).catch((e) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ message: EMPTY_NOTE_MESSAGE, details: { html: [EMPTY_NOTE_MESSAGE] } });
    },
  );

  it("refuses a note on another org's record as not found, and writes nothing", async () => {
    const err = await write(stranger, "<p>sneaky</p>").catch((e) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err.message).toMatch(/person was not found/);
    const [{ n }] = await t.admin`select count(*)::int as n from notes where body_text = 'sneaky'`;
    expect(n).toBe(0);
  });
});

describe("who may edit and delete", () => {
  it("lets the author edit and delete, sanitising edits too", async () => {
    const { id } = await write(author, "<p>draft</p>");
    await t.db.asUser(author.claims, (tx) => updateNote(tx, { id, html: "<p>final<img src=x onerror=alert(1)></p>" }));
    expect(await stored(id)).toMatchObject({ body_html: "<p>final</p>", body_text: "final" });
    await t.db.asUser(author.claims, (tx) => deleteNote(tx, { id }));
    expect(await stored(id)).toBeUndefined();
  });

  it("refuses another member, with a message, and changes nothing", async () => {
    const { id } = await write(author, "<p>mine</p>");
    await expect(t.db.asUser(colleague.claims, (tx) => updateNote(tx, { id, html: "<p>hijacked</p>" }))).rejects.toThrow(
      "Only the note's author or an admin can edit it.",
    );
    await expect(t.db.asUser(colleague.claims, (tx) => deleteNote(tx, { id }))).rejects.toThrow(
      "Only the note's author or an admin can delete it.",
    );
    expect((await stored(id)).body_html).toBe("<p>mine</p>");
  });

  it("lets admins and owners edit and delete anyone's note", async () => {
    const { id } = await write(author, "<p>typo</p>");
    await t.db.asUser(admin.claims, (tx) => updateNote(tx, { id, html: "<p>fixed</p>" }));
    expect((await stored(id)).body_html).toBe("<p>fixed</p>");
    await t.db.asUser(owner.claims, (tx) => deleteNote(tx, { id }));
    expect(await stored(id)).toBeUndefined();
  });

  it("says when the note is gone, and hides other orgs' notes entirely", async () => {
    const { id } = await write(author, "<p>ours</p>");
    await expect(t.db.asUser(stranger.claims, (tx) => deleteNote(tx, { id }))).rejects.toThrow("This note no longer exists.");
    expect((await stored(id))?.body_html).toBe("<p>ours</p>");
  });
});

describe("events and timelines", () => {
  it("writes note.created, note.updated and note.deleted domain events", async () => {
    const { id } = await write(author, "<p>v1</p>");
    await t.db.asUser(author.claims, (tx) => updateNote(tx, { id, html: "<p>v2</p>" }));
    await t.db.asUser(author.claims, (tx) => deleteNote(tx, { id }));
    const events = await t.admin`select type, actor_id, changes, data from domain_events where object_id = ${id} order by id`;
    expect(events.map((e) => e.type)).toEqual(["note.created", "note.updated", "note.deleted"]);
    expect(events.every((e) => e.actor_id === author.id)).toBe(true);
    expect(events[1].changes.body_html).toEqual(["<p>v1</p>", "<p>v2</p>"]);
    expect(events[2].data.body_html).toBe("<p>v2</p>");
  });

  it("shows a person's note on the person and on their company; deleting it removes it from both", async () => {
    const { id } = await write(author, "<p>met at the fair</p>");
    const rows = await t.admin`select person_id, company_id, deal_id, kind from timeline_events where note_id = ${id}`;
    expect(rows).toEqual([{ person_id: person.id, company_id: company.id, deal_id: null, kind: "note" }]);
    await t.db.asUser(author.claims, (tx) => deleteNote(tx, { id }));
    const [{ n }] = await t.admin`select count(*)::int as n from timeline_events where note_id = ${id}`;
    expect(n).toBe(0);
  });

  it("shows a deal's note on the deal, its person and its company", async () => {
    const [stage] = await t.admin`select id, pipeline_id from pipeline_stages where org_id = ${owner.orgId} order by position limit 1`;
    const [deal] = await t.admin`
      insert into deals (org_id, name, pipeline_id, stage_id, person_id, currency)
      values (${owner.orgId}, 'Renewal', ${stage.pipeline_id}, ${stage.id}, ${person.id}, 'USD') returning id`;
    const { id } = await write(author, "<p>pricing sent</p>", { type: "deal", id: deal.id });
    const rows = await t.admin`select person_id, company_id, deal_id from timeline_events where note_id = ${id}`;
    // The deal has no company of its own: its person's company shows it.
    expect(rows).toEqual([{ person_id: person.id, company_id: company.id, deal_id: deal.id }]);
  });
});
