import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/lib/auth/permissions";
import { decodeCsvBytes, parseCsv } from "@/lib/csv";
import type { Tx } from "@/lib/db";
import type { DomainError } from "@/lib/errors";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { builtInFields, importFields, suggestMapping } from "./fields";
import { createCommitHandler, createUploadHandler, MAX_UPLOAD_BYTES } from "./http";
import {
  type Actor,
  analyzeImport,
  commitImport,
  type DuplicateMode,
  type ImportReport,
  getImport,
  listImports,
  createImport,
  undoImport,
} from "./service";
import type { ImportObject } from "./fields";

const t = useTestDatabase();
const FIXTURE = path.resolve(import.meta.dirname, "../../../tests/fixtures/people-import.csv");

let owner: TestUser;
let member: TestUser;
let other: TestUser;
const actorOf = (u: TestUser, role: Role): Actor => ({ userId: u.id, orgId: u.orgId, role });
let ownerActor: Actor;

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Importers", fullName: "Olive Owner" });
  member = await createMember(t, owner.orgId, "member");
  other = await createUser(t, { orgName: "Elsewhere" });
  ownerActor = actorOf(owner, "owner");
  await t.admin`insert into custom_field_definitions (org_id, object_type, key, label, field_type, options)
                values (${owner.orgId}, 'person', 'tier', 'Lead tier', 'select', '[{"value":"gold","label":"Gold"},{"value":"silver","label":"Silver"}]'),
                       (${owner.orgId}, 'person', 'budget', 'Budget', 'number', '[]')`;
});

function parse(text: string | Uint8Array) {
  const decoded = decodeCsvBytes(typeof text === "string" ? new TextEncoder().encode(text) : text);
  if (!decoded.ok) throw new Error(decoded.message);
  const parsed = parseCsv(decoded.value);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed;
}

async function stage(user: TestUser, role: Role, text: string, object: ImportObject = "person") {
  const parsed = parse(text);
  return t.db.asUser(user.claims, (tx) =>
    createImport(tx, actorOf(user, role), {
      objectType: object,
      fileName: "test.csv",
      fileSize: text.length,
      headers: parsed.headers,
      rows: parsed.rows,
      rowNumbers: parsed.rowNumbers,
    }),
  );
}

async function mappingOf(id: string, user = owner) {
  const imp = await t.db.asUser(user.claims, (tx) => getImport(tx, id));
  return imp!.mapping;
}

function asOwner<T>(fn: (tx: Tx) => Promise<T>) {
  return t.db.asUser(owner.claims, fn);
}

async function importAll(text: string, mode: DuplicateMode = "skip", object: ImportObject = "person") {
  const { id } = await stage(owner, "owner", text, object);
  const mapping = await mappingOf(id);
  const summary = await asOwner((tx) => commitImport(tx, ownerActor, id, { mapping, duplicateMode: mode }));
  return { id, summary };
}

const peopleCount = async (orgId = owner.orgId) =>
  Number((await t.admin`select count(*)::int as n from people where org_id = ${orgId}`)[0].n);

describe("mapping suggestion", () => {
  it("maps common header spellings and custom field labels", () => {
    const headers = ["First", "Surname", "E-mail", "Mobile", "Company Name", "State/Province", "Zip", "Lead Tier", "budget", "Favourite colour"];
    const fields = importFields("person", [
      { key: "tier", label: "Lead tier" },
      { key: "budget", label: "Budget" },
    ]);
    expect(suggestMapping(headers, fields)).toEqual({
      0: "first_name",
      1: "last_name",
      2: "email",
      3: "phone",
      4: "company",
      5: "state",
      6: "postal_code",
      7: "custom.tier",
      8: "custom.budget",
    });
  });

  it("maps the fixture's headers and leaves unknown columns unmapped", () => {
    const parsed = parse(readFileSync(FIXTURE));
    expect(suggestMapping(parsed.headers, builtInFields("person"))).toEqual({
      0: "first_name",
      1: "last_name",
      2: "email",
      3: "phone",
      4: "company",
      5: "title",
      6: "state",
      7: "tags",
    });
  });

  it("uses each field once", () => {
    expect(suggestMapping(["Email", "E-mail"], builtInFields("person"))).toEqual({ 0: "email" });
  });
});

describe("validation report", () => {
  it("validates every row with the form normalisers, naming row and column", async () => {
    const csv = [
      "Name,Email,Phone,State,Lead tier,Budget",
      "Ann Ok,ann@ok.example,415 555 0100,California,Gold,1200",
      "Bad Email,not-an-email,,NY,,",
      "",
      "Bad Phone,bp@ok.example,12,Texas,,",
      "Bad State,bs@ok.example,,Atlantis,,",
      "Bad Tier,bt@ok.example,,CA,Platinum,abc",
    ].join("\n");
    const { id } = await stage(owner, "owner", csv);
    const a = await asOwner((tx) => analyzeImport(tx, ownerActor, id, { mapping: { 0: "full_name", 1: "email", 2: "phone", 3: "state", 4: "custom.tier", 5: "custom.budget" }, duplicateMode: "skip" }));
    expect(a.counts).toMatchObject({ rows: 5, create: 1, errorRows: 4 });
    const byRow = (row: number) => a.issues.filter((i) => i.row === row);
    expect(byRow(3)).toEqual([expect.objectContaining({ column: "Email", level: "error", message: expect.stringMatching(/valid email/) })]);
    // The blank line is row 4; spreadsheet numbering keeps counting it.
    expect(byRow(5)[0]).toMatchObject({ column: "Phone", message: expect.stringMatching(/phone/i) });
    expect(byRow(6)[0]).toMatchObject({ column: "State", message: expect.stringMatching(/US state/) });
    expect(byRow(7).map((i) => i.column).sort()).toEqual(["Budget", "Lead tier"]);
    expect(a.preview.rows[0]).toMatchObject({ row: 2, action: "create", invalid: false });
    expect(a.preview.rows[0].cells).toMatchObject({ first_name: "Ann", last_name: "Ok", email: "ann@ok.example", phone: "+14155550100", state: "CA", "custom.tier": "gold", "custom.budget": "1200" });
  });

  it("reports a missing required mapping", async () => {
    const { id } = await stage(owner, "owner", "Title,City\nCEO,Austin\n");
    const a = await asOwner((tx) => analyzeImport(tx, ownerActor, id, { mapping: { 0: "title", 1: "city" }, duplicateMode: "skip" }));
    expect(a.problems).toEqual([expect.stringMatching(/name or an email/)]);
    await expect(asOwner((tx) => commitImport(tx, ownerActor, id, { mapping: { 0: "title", 1: "city" }, duplicateMode: "skip" }))).rejects.toMatchObject({ status: 422 });
  });

  it("refuses a mapping to an unknown field or the same field twice", async () => {
    const { id } = await stage(owner, "owner", "A,B\nx@y.example,z@y.example\n");
    await expect(asOwner((tx) => analyzeImport(tx, ownerActor, id, { mapping: { 0: "password" }, duplicateMode: "skip" }))).rejects.toThrow(/not a field/);
    await expect(asOwner((tx) => analyzeImport(tx, ownerActor, id, { mapping: { 0: "email", 1: "email" }, duplicateMode: "skip" }))).rejects.toThrow(/Two columns/);
  });
});

describe("the fixture", () => {
  it("imports all 25 people with normalised values, linked companies, and formulas kept as text", async () => {
    const before = await peopleCount();
    const { id, summary } = await importAll(readFileSync(FIXTURE, "utf8"));
    expect(summary).toMatchObject({ created: 25, updated: 0, skipped: 0 });
    expect(await peopleCount()).toBe(before + 25);
    const [grace] = await t.admin`select p.email::text, p.phone, p.state, p.tags, c.name as company, p.owner_id
                                  from people p join companies c on c.id = p.company_id where p.last_name = 'Hopper'`;
    expect(grace).toMatchObject({ email: "grace.hopper@navy.example", phone: "+12025550143", state: "DC", company: "US Navy Computing", owner_id: owner.id });
    const [carl] = await t.admin`select title from people where last_name = 'Sagan'`;
    expect(carl.title).toBe('=HYPERLINK("http://evil.example","Astronomer")');
    // Bell Labs appears on three rows: one company.
    const [{ n }] = await t.admin`select count(*)::int as n from companies where org_id = ${owner.orgId} and name = 'Bell Labs'`;
    expect(n).toBe(1);
    const imp = await asOwner((tx) => getImport(tx, id));
    expect(imp).toMatchObject({ status: "completed", createdCount: 25, createdByName: "Olive Owner" });
    expect(imp!.linkedCreatedCount).toBeGreaterThan(15);
    // The staged copy is gone once committed.
    expect((await t.admin`select count(*)::int as n from import_rows where import_id = ${id}`)[0].n).toBe(0);

    // Each imported person got its created event and timeline entry in the same transaction, by the importer.
    const events = await t.admin`select type, actor_id, actor_type from domain_events
                                 where org_id = ${owner.orgId} and type = 'person.created' and data->>'last_name' = 'Lovelace'`;
    expect(events).toEqual([{ type: "person.created", actor_id: owner.id, actor_type: "user" }]);
    const [{ timeline }] = await t.admin`select count(*)::int as timeline from timeline_events t join people p on p.id = t.person_id
                                         where p.org_id = ${owner.orgId} and t.kind = 'created' and p.last_name = 'Lovelace'`;
    expect(timeline).toBe(1);

    // Importing the same file again: all duplicates, skipped.
    const again = await importAll(readFileSync(FIXTURE, "utf8"), "skip");
    expect(again.summary).toMatchObject({ created: 0, skipped: 25, companiesCreated: 0 });
  });
});

describe("duplicate modes", () => {
  const base = "First Name,Last Name,Email,Phone,Job Title\n";
  beforeAll(async () => {
    await asOwner(async (tx) => {
      await tx.insertInto("people").values([
        { org_id: owner.orgId, first_name: "Dana", last_name: "Dup", email: "dana@dup.example", title: "Old title", city: "Austin" },
        { org_id: owner.orgId, first_name: "Phil", last_name: "Phone", phone: "+14155550999", title: "Old" },
      ]).execute();
    });
  });

  it("skip leaves existing people alone", async () => {
    const { summary } = await importAll(`${base}Dana,New,dana@dup.example,,New title\nNew,Person,newp@dup.example,,\n`, "skip");
    expect(summary).toMatchObject({ created: 1, skipped: 1 });
    const [dana] = await t.admin`select last_name, title from people where email = 'dana@dup.example'`;
    expect(dana).toMatchObject({ last_name: "Dup", title: "Old title" });
  });

  it("update matches by email, then phone; blank cells keep stored values; undo restores them", async () => {
    const { id, summary } = await importAll(`${base}Dana,Updated,DANA@dup.example,,New title\n,,,(415) 555-0999,Phone match\n`, "update");
    expect(summary).toMatchObject({ created: 0, updated: 2 });
    const [dana] = await t.admin`select first_name, last_name, title, city from people where email = 'dana@dup.example'`;
    expect(dana).toMatchObject({ first_name: "Dana", last_name: "Updated", title: "New title", city: "Austin" });
    const [phil] = await t.admin`select first_name, title from people where phone = '+14155550999'`;
    expect(phil).toMatchObject({ first_name: "Phil", title: "Phone match" });
    const events = await t.admin`select changes from domain_events where type = 'person.updated' and data->>'email' = 'dana@dup.example'`;
    expect(events.at(-1)!.changes).toMatchObject({ last_name: ["Dup", "Updated"], title: ["Old title", "New title"] });

    const undone = await asOwner((tx) => undoImport(tx, ownerActor, id));
    expect(undone).toEqual({ deleted: 0, restored: 2 });
    const [restored] = await t.admin`select last_name, title, city from people where email = 'dana@dup.example'`;
    expect(restored).toMatchObject({ last_name: "Dup", title: "Old title", city: "Austin" });
    expect((await t.admin`select title from people where phone = '+14155550999'`)[0].title).toBe("Old");
  });

  it("keeps tags and text with quotes, backslashes, braces and commas as written, on create and on update", async () => {
    const header = "First Name,Last Name,Email,Job Title,Tags,Lead tier,Budget\n";
    const created = await importAll(`${header}Quincy,"O\\Quote",quincy@dup.example,"Says ""hi"", {ok}","say ""hi"", back\\slash, {braces}, NULL",gold,12.5\n`, "skip");
    expect(created.summary).toMatchObject({ created: 1 });
    const [q] = await t.admin`select last_name, title, tags, custom from people where email = 'quincy@dup.example'`;
    expect(q).toMatchObject({ last_name: "O\\Quote", title: 'Says "hi", {ok}', tags: ['say "hi"', "back\\slash", "{braces}", "NULL"], custom: { tier: "gold", budget: 12.5 } });
    const updated = await importAll(`${header}Quincy,"O\\Quote",QUINCY@dup.example,,"new ""tag""",silver,\n`, "update");
    expect(updated.summary).toMatchObject({ updated: 1 });
    const [u] = await t.admin`select title, tags, custom from people where email = 'quincy@dup.example'`;
    expect(u).toMatchObject({ title: 'Says "hi", {ok}', tags: ['say "hi"', "back\\slash", "{braces}", "NULL", 'new "tag"'], custom: { tier: "silver", budget: 12.5 } });
  });

  it("create makes new records for phone matches but refuses a used email, naming its owner", async () => {
    const { id } = await stage(owner, "owner", `${base}Dana,Again,dana@dup.example,,\nPhil,Twin,,415-555-0999,\n`);
    const mapping = await mappingOf(id);
    const a = await asOwner((tx) => analyzeImport(tx, ownerActor, id, { mapping, duplicateMode: "create" }));
    expect(a.issues).toEqual([expect.objectContaining({ row: 2, column: "Email", message: expect.stringMatching(/already used by Dana Dup/) })]);
    expect(a.counts).toMatchObject({ create: 1, errorRows: 1 });
    const { summary } = await importAll(`${base}Phil,Twin,,415-555-0999,\n`, "create");
    expect(summary.created).toBe(1);
    expect((await t.admin`select count(*)::int as n from people where phone = '+14155550999'`)[0].n).toBe(2);
  });

  it("reports duplicates inside the file and skips them", async () => {
    const { id } = await stage(owner, "owner", `${base}A,One,same@file.example,,\nA,Two,SAME@file.example,,\nB,Phone,,212 555 0101,\nB,Again,,+1 212-555-0101,\n`);
    const mapping = await mappingOf(id);
    const a = await asOwner((tx) => analyzeImport(tx, ownerActor, id, { mapping, duplicateMode: "create" }));
    expect(a.counts).toMatchObject({ create: 2, skip: 2, duplicatesInFile: 2, errorRows: 0 });
    expect(a.issues).toEqual([
      expect.objectContaining({ row: 3, level: "warning", message: expect.stringMatching(/Duplicate of row 2/) }),
      expect.objectContaining({ row: 5, level: "warning", message: expect.stringMatching(/Duplicate of row 4/) }),
    ]);
  });

  it("matches companies by domain, then name", async () => {
    await asOwner((tx) => tx.insertInto("companies").values([
      { org_id: owner.orgId, name: "Domain Co", domain: "domainco.example", industry: "Old" },
      { org_id: owner.orgId, name: "Named Co", industry: "Old" },
    ]).execute());
    const { summary } = await importAll("Company,Domain,Industry\nRenamed Domain Co,www.DomainCo.example,New\nnamed co,,New\nFresh Co,fresh.example,New\n", "update", "company");
    expect(summary).toMatchObject({ created: 1, updated: 2 });
    const rows = await t.admin`select name, industry from companies where org_id = ${owner.orgId} and industry = 'New' order by name`;
    expect(rows.map((r) => r.name)).toEqual(["Fresh Co", "Renamed Domain Co", "named co"]);
  });
});

describe("all or nothing", () => {
  it("writes nothing when any row is invalid", async () => {
    const before = await peopleCount();
    const { id } = await stage(owner, "owner", "Name,Email,Company\nGood One,good1@aon.example,Brand New Co\nBad One,bad@,Brand New Co\n");
    const err = await asOwner((tx) => commitImport(tx, ownerActor, id, { mapping: { 0: "full_name", 1: "email", 2: "company" }, duplicateMode: "skip" })).catch((e: DomainError) => e);
    expect(err).toMatchObject({ status: 422, message: expect.stringMatching(/1 row has errors/) });
    expect(((err as DomainError).data!.report as ImportReport).issues[0]).toMatchObject({ row: 3, column: "Email" });
    expect(await peopleCount()).toBe(before);
    expect((await t.admin`select count(*)::int as n from companies where name = 'Brand New Co'`)[0].n).toBe(0);
  });

  it("rolls everything back when the database fails mid-commit", async () => {
    await t.admin.unsafe(`
      create function public.test_boom() returns trigger language plpgsql as $$
      begin
        if new.first_name = 'Boom' then raise exception 'boom'; end if;
        return new;
      end $$;
      create trigger test_boom before insert on public.people for each row execute function public.test_boom();`);
    try {
      const before = await peopleCount();
      const rows = Array.from({ length: 7000 }, (_, i) => `Row${i},Person,row${i}@boom.example,Boom Holdings`);
      rows.push("Boom,Person,boom@boom.example,Boom Holdings");
      const { id } = await stage(owner, "owner", `First,Last,Email,Company\n${rows.join("\n")}\n`);
      const progress: number[] = [];
      const mapping = await mappingOf(id);
      await expect(
        asOwner((tx) => commitImport(tx, ownerActor, id, { mapping, duplicateMode: "skip" }, (p) => {
          if (p.phase === "records") progress.push(p.done);
        })),
      ).rejects.toThrow(/boom/);
      // The first chunk had been written before the failure, and was rolled back with it.
      expect(progress).toEqual([5000]);
      expect(await peopleCount()).toBe(before);
      expect((await t.admin`select count(*)::int as n from companies where name = 'Boom Holdings'`)[0].n).toBe(0);
      expect((await asOwner((tx) => getImport(tx, id)))!.status).toBe("pending");
    } finally {
      await t.admin.unsafe("drop trigger test_boom on public.people; drop function public.test_boom()");
    }
  });
});

describe("undo", () => {
  it("deletes created records and the companies created for them, once", async () => {
    const before = await peopleCount();
    const { id } = await importAll("Name,Email,Company\nUndo Me,undo1@u.example,Undo Corp\nUndo Too,undo2@u.example,Undo Corp\n");
    expect(await peopleCount()).toBe(before + 2);
    const result = await asOwner((tx) => undoImport(tx, ownerActor, id));
    expect(result).toEqual({ deleted: 3, restored: 0 });
    expect(await peopleCount()).toBe(before);
    expect((await t.admin`select count(*)::int as n from companies where name = 'Undo Corp'`)[0].n).toBe(0);
    const imp = await asOwner((tx) => getImport(tx, id));
    expect(imp).toMatchObject({ status: "undone" });
    expect(imp!.undoneAt).toBeInstanceOf(Date);
    await expect(asOwner((tx) => undoImport(tx, ownerActor, id))).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/already been undone/) });
    const deleted = await t.admin`select count(*)::int as n from domain_events where type = 'person.deleted' and data->>'email' like 'undo%@u.example'`;
    expect(deleted[0].n).toBe(2);
  });

  it("is for owners and admins; members may import", async () => {
    const { id } = await stage(member, "member", "Name,Email\nMember Import,mi@m.example\n");
    const mapping = await mappingOf(id, member);
    const summary = await t.db.asUser(member.claims, (tx) => commitImport(tx, actorOf(member, "member"), id, { mapping, duplicateMode: "skip" }));
    expect(summary.created).toBe(1);
    await expect(t.db.asUser(member.claims, (tx) => undoImport(tx, actorOf(member, "member"), id))).rejects.toMatchObject({ status: 403 });
  });
});

describe("the preview's reading", () => {
  const csv = "Name,Email,Title\nRita Reuse,rita@reuse.example,Buyer\n";

  it("is kept for the commit under the mapping it was made with, and read again for another mapping", async () => {
    const { id } = await stage(owner, "owner", csv);
    await asOwner((tx) => analyzeImport(tx, ownerActor, id, { mapping: { 0: "full_name", 1: "email", 2: "title" }, duplicateMode: "skip" }));
    const [kept] = await t.admin`select checked_key, jsonb_array_length(checked) as n from import_rows where import_id = ${id}`;
    expect(kept).toMatchObject({ checked_key: expect.any(String), n: 1 });
    // Another mapping than the preview's: the commit reads the cells itself.
    const summary = await asOwner((tx) => commitImport(tx, ownerActor, id, { mapping: { 0: "full_name", 1: "email", 2: "source" }, duplicateMode: "skip" }));
    expect(summary.created).toBe(1);
    const [rita] = await t.admin`select title, source from people where email = 'rita@reuse.example'`;
    expect(rita).toEqual({ title: null, source: "Buyer" });
  });

  it("is written by the uploader only, and trusted for the uploader's own commit only", async () => {
    const { id } = await stage(member, "member", csv.replace(/reuse/g, "mine"));
    const mapping = { 0: "full_name", 1: "email", 2: "title" };
    await t.db.asUser(member.claims, (tx) => analyzeImport(tx, actorOf(member, "member"), id, { mapping, duplicateMode: "skip" }));
    // The owner's preview of someone else's file leaves the member's reading alone.
    const [before] = await t.admin`select checked_key from import_rows where import_id = ${id}`;
    await asOwner((tx) => analyzeImport(tx, ownerActor, id, { mapping: { 0: "full_name", 1: "email" }, duplicateMode: "skip" }));
    expect((await t.admin`select checked_key from import_rows where import_id = ${id}`)[0].checked_key).toBe(before.checked_key);
    // A reading that disagrees with the file is not what the owner's commit imports.
    await t.admin`update import_rows set checked = jsonb_set(checked, '{0,values,title}', '"Planted"') where import_id = ${id}`;
    await asOwner((tx) => commitImport(tx, ownerActor, id, { mapping, duplicateMode: "skip" }));
    expect((await t.admin`select title from people where email = 'rita@mine.example'`)[0].title).toBe("Buyer");
  });
});

describe("tenancy", () => {
  it("another org sees neither the import nor its rows, and cannot commit or undo it", async () => {
    const { id } = await stage(owner, "owner", "Name,Email\nPrivate Person,private@t.example\n");
    const otherActor = actorOf(other, "owner");
    expect(await t.db.asUser(other.claims, (tx) => getImport(tx, id))).toBeNull();
    expect((await t.db.asUser(other.claims, (tx) => listImports(tx))).map((i) => i.id)).not.toContain(id);
    await expect(t.db.asUser(other.claims, (tx) => commitImport(tx, otherActor, id, { mapping: { 0: "full_name" }, duplicateMode: "skip" }))).rejects.toMatchObject({ status: 404 });
    await expect(t.db.asUser(other.claims, (tx) => undoImport(tx, otherActor, id))).rejects.toMatchObject({ status: 404 });
  });
});

describe("deals", () => {
  it("resolve pipeline and stage by name, person by email, and parse values", async () => {
    const csv = "Deal,Stage,Amount,Contact,Company,Close date\nBig one,Proposal sent,\"$12,500.50\",grace.hopper@navy.example,US Navy Computing,2026-12-01\nNo stage,Nowhere,10,,,\n";
    const { id } = await stage(owner, "owner", csv, "deal");
    const mapping = await mappingOf(id);
    expect(mapping).toEqual({ 0: "name", 1: "stage", 2: "value", 3: "person", 4: "company", 5: "expected_close_date" });
    const a = await asOwner((tx) => analyzeImport(tx, ownerActor, id, { mapping, duplicateMode: "skip" }));
    expect(a.issues).toEqual([expect.objectContaining({ row: 3, column: "Stage", message: expect.stringMatching(/not a stage of Sales/) })]);
    const ok = await importAll(csv.split("\n").slice(0, 2).join("\n"), "skip", "deal");
    expect(ok.summary.created).toBe(1);
    const [deal] = await t.admin`select d.value_minor::int, d.currency, s.name as stage, p.email::text as person, c.name as company, d.expected_close_date::text
                                 from deals d join pipeline_stages s on s.id = d.stage_id left join people p on p.id = d.person_id
                                 left join companies c on c.id = d.company_id where d.name = 'Big one'`;
    expect(deal).toEqual({ value_minor: 1250050, currency: "USD", stage: "Proposal sent", person: "grace.hopper@navy.example", company: "US Navy Computing", expected_close_date: "2026-12-01" });
  });
});

describe("upload and commit over HTTP", () => {
  const session = () => ({ claims: owner.claims, user: { id: owner.id }, org: { id: owner.orgId }, role: "owner" as const });
  const upload = () => createUploadHandler({ session: async () => session(), database: () => t.db });
  const url = (q: string) => `http://localhost/api/crm/imports?${q}`;

  it("refuses a body over 50 MB while streaming it, even without a content length", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_UPLOAD_BYTES + chunk.byteLength) controller.close();
        else {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await upload()(new Request(url("object=person&name=big.csv"), { method: "POST", body, duplex: "half" } as RequestInit));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "payload_too_large", message: expect.stringMatching(/larger than 50 MB/) } });
    expect(sent).toBeLessThanOrEqual(MAX_UPLOAD_BYTES + 2 * chunk.byteLength);
  });

  it("refuses a declared length over 50 MB without reading", async () => {
    const res = await upload()(new Request(url("object=person"), { method: "POST", body: "x", headers: { "content-length": String(MAX_UPLOAD_BYTES + 1) } }));
    expect(res.status).toBe(413);
  });

  it.each([
    ["UTF-16 without a byte-order mark", new Uint8Array([0x4e, 0, 0x61, 0, 0x6d, 0, 0x65, 0, 0x0a, 0, 0x41, 0]), /UTF-8|encoding|save/i],
    ["Latin-1 bytes", new Uint8Array([...new TextEncoder().encode("Name,City\nJos"), 0xe9, ...new TextEncoder().encode(",Paris\n")]), /UTF-8|encoding|save/i],
    ["a pipe-delimited file", new TextEncoder().encode("Name|Email\nA|a@b.example\n"), /single column/],
    ["ragged rows", new TextEncoder().encode("Name,Email,City\nA,a@b.example,Austin\nB,b@b.example\n"), /expected 3 columns, found 2/],
    ["a header only", new TextEncoder().encode("Name,Email\n"), /no rows/],
    ["a NUL in a cell", new TextEncoder().encode("Name,Email\nAda,a\u0000@b.example\n"), /^Row 2, column B \(Email\): .*not allowed \(NUL\)/],
  ])("reports %s as a file-level problem, never a 500", async (_label, bytes, message) => {
    const res = await upload()(new Request(url("object=person"), { method: "POST", body: bytes }));
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.file.join(" ")).toMatch(message);
  });

  it("refuses NUL in the file name and in the column mapping with the field named, never a 500", async () => {
    const named = await upload()(new Request(url("object=person&name=a%00b.csv"), { method: "POST", body: "Name\nAda\n" }));
    expect([named.status, (await named.json()).error]).toEqual([
      422,
      { code: "validation_failed", message: "The file name contains a character that is not allowed (NUL)", details: { name: ["The file name contains a character that is not allowed (NUL)"] } },
    ]);
    const res = await upload()(new Request(url("object=person&name=nul.csv"), { method: "POST", body: "Name\nAda\n" }));
    const { id } = await res.json();
    const commit = createCommitHandler({ session: async () => session(), database: () => t.db });
    const out = await commit(new Request(`http://localhost/x`, { method: "POST", body: JSON.stringify({ mapping: { "0": "first\u0000name" }, duplicateMode: "skip" }) }), id);
    const refused = await out.json();
    expect([out.status, refused.error.code, refused.error.message]).toEqual([422, "validation_failed", "Field contains a character that is not allowed (NUL)"]);
    expect(Object.keys(refused.error.details)).toEqual([expect.stringMatching(/^mapping/)]);
  });

  it("semicolon files are read with their delimiter; commit streams progress and a summary", async () => {
    const res = await upload()(new Request(url("object=person&name=semi.csv"), { method: "POST", body: "Name;E-mail;Phone Number\nSemi Colon;semi@colon.example;+1 415 555 0177\n" }));
    expect(res.status).toBe(201);
    const { id, rows, delimiter } = await res.json();
    expect({ rows, delimiter }).toEqual({ rows: 1, delimiter: ";" });
    const commit = createCommitHandler({ session: async () => session(), database: () => t.db });
    const out = await commit(new Request(`http://localhost/api/crm/imports/${id}/commit`, { method: "POST", body: JSON.stringify({ mapping: await mappingOf(id), duplicateMode: "skip" }) }), id);
    expect(out.headers.get("content-type")).toMatch(/ndjson/);
    const lines = (await out.text()).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "progress", phase: "validating" });
    expect(lines.at(-1)).toEqual({ type: "done", summary: { created: 1, updated: 0, skipped: 0, companiesCreated: 0 } });
    const [p] = await t.admin`select phone from people where email = 'semi@colon.example'`;
    expect(p.phone).toBe("+14155550177");
    // Committing twice is refused.
    const again = await commit(new Request(`http://localhost/x`, { method: "POST", body: JSON.stringify({ mapping: {}, duplicateMode: "skip" }) }), id);
    expect((await again.text()).trim().split("\n").map((l) => JSON.parse(l)).at(-1)).toMatchObject({ type: "error", error: { code: "conflict", message: "This import has already been committed." } });
  });
});
