// Settings → Leads on real Postgres as real members: owners and admins add,
// rename, reorder and archive the org's own sources and statuses; an
// archived one stays on its leads and is refused for others; a status is
// archived only once its leads have moved; built-in ones are renamed but
// never archived; members are refused by the service and by the database.

import { beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "@/lib/db";
import { DomainError } from "@/lib/errors";
import type { Actor } from "@/modules/crm/records/ui";
import { createMember, createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listLeadSources, listLeadStatuses } from "./queries";
import { createLead, updateLead } from "./service";
import {
  addLeadSource,
  addLeadStatus,
  archiveLeadSource,
  archiveLeadStatus,
  listLeadSettings,
  renameLeadSource,
  reorderLeadStatuses,
  restoreLeadSource,
  restoreLeadStatus,
  updateLeadStatus,
} from "./settings";
import { keyFromLabel } from "./settings-schema";

const t = useTestDatabase();
let owner: TestUser;
let admin: TestUser;
let member: TestUser;
let other: TestUser;
const roles = new Map<string, Actor["role"]>();

function as<T>(u: TestUser, fn: (tx: Tx, a: Actor) => Promise<T>) {
  return t.db.asUser(u.claims, (tx) => fn(tx, { userId: u.id, orgId: u.orgId, role: roles.get(u.id) ?? "owner" }));
}

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Settings Co" });
  admin = await createMember(t, owner.orgId, "admin");
  member = await createMember(t, owner.orgId, "member");
  roles.set(admin.id, "admin");
  roles.set(member.id, "member");
  other = await createUser(t, { orgName: "Other Co" });
});

describe("keys from labels", () => {
  it("are lower-case words joined by underscores, starting with a letter", () => {
    expect(keyFromLabel("Trade show")).toBe("trade_show");
    expect(keyFromLabel("  Café — Walk-ins! ")).toBe("cafe_walk_ins");
    expect(keyFromLabel("2024 expo")).toBe("custom_2024_expo");
  });
});

describe("lead sources", () => {
  it("an admin adds one by its label; it is offered for leads and the label names it", async () => {
    const { key } = await as(admin, (tx, a) => addLeadSource(tx, a, { label: "Trade show" }));
    expect(key).toBe("trade_show");
    const { id } = await as(member, (tx, a) => createLead(tx, a, { first_name: "Tess", source: key }));
    const sources = await as(member, (tx) => listLeadSources(tx));
    expect(sources.find((s) => s.key === key)).toEqual({ key, label: "Trade show", builtIn: false, archived: false });
    // Another org's leads cannot use it, nor see it.
    expect(await as(other, (tx) => listLeadSources(tx))).not.toContainEqual(expect.objectContaining({ key }));
    const e = await refusal(as(other, (tx, a) => createLead(tx, a, { first_name: "Ora", source: key })));
    expect(e.details).toHaveProperty("source");
    expect(id).toBeTruthy();
  });

  it("a second source with the same label is refused on the label; the same label in another org is fine", async () => {
    const e = await refusal(as(owner, (tx, a) => addLeadSource(tx, a, { label: "trade SHOW" })));
    expect(e.details).toEqual({ label: ['There is a source called "trade SHOW" already'] });
    expect(await as(other, (tx, a) => addLeadSource(tx, a, { label: "Trade show" }))).toEqual({ key: "trade_show" });
    const blank = await refusal(as(owner, (tx, a) => addLeadSource(tx, a, { label: "   " })));
    expect(blank.details).toEqual({ label: ["Enter a label"] });
  });

  it("renames a built-in source, which stays unarchivable", async () => {
    await as(admin, (tx, a) => renameLeadSource(tx, a, { key: "meta", label: "Facebook ads" }));
    expect((await as(member, (tx) => listLeadSources(tx))).find((s) => s.key === "meta")?.label).toBe("Facebook ads");
    const e = await refusal(as(admin, (tx, a) => archiveLeadSource(tx, a, { key: "meta" })));
    expect(e.details).toHaveProperty("archived_at");
  });

  it("an archived source stays on its leads and in filters, and is refused for other leads", async () => {
    const { id } = await as(member, (tx, a) => createLead(tx, a, { first_name: "Kept", source: "trade_show" }));
    await as(admin, (tx, a) => archiveLeadSource(tx, a, { key: "trade_show" }));
    expect(await as(member, (tx) => listLeadSources(tx))).not.toContainEqual(expect.objectContaining({ key: "trade_show" }));
    expect(await as(member, (tx) => listLeadSources(tx, { includeArchived: true }))).toContainEqual(
      expect.objectContaining({ key: "trade_show", archived: true }),
    );
    // The lead keeps it through other edits.
    await as(member, (tx, a) => updateLead(tx, a, id, { last_name: "Still" }));
    expect((await t.admin`select source from leads where id = ${id}`)[0].source).toBe("trade_show");
    const created = await refusal(as(member, (tx, a) => createLead(tx, a, { first_name: "New", source: "trade_show" })));
    expect(created.details).toEqual({ source: ['The source "Trade show" is archived; choose another'] });
    const { id: other } = await as(member, (tx, a) => createLead(tx, a, { first_name: "Moved" }));
    const moved = await refusal(as(member, (tx, a) => updateLead(tx, a, other, { source: "trade_show" })));
    expect(moved.details).toHaveProperty("source");
    await as(admin, (tx, a) => restoreLeadSource(tx, a, { key: "trade_show" }));
    await as(member, (tx, a) => updateLead(tx, a, other, { source: "trade_show" }));
  });

  it("members are refused, by the service and by the database", async () => {
    const e = await refusal(as(member, (tx, a) => addLeadSource(tx, a, { label: "Flyer" })));
    expect(e.code).toBe("forbidden");
    const asAdmin = (tx: Tx, a: Actor) => renameLeadSource(tx, { ...a, role: "admin" }, { key: "sms", label: "Texts" });
    // Past the service's own check, RLS lets a member change nothing.
    expect((await refusal(as(member, asAdmin))).code).toBe("not_found");
    expect((await t.admin`select label from lead_sources where org_id = ${owner.orgId} and key = 'sms'`)[0].label).toBe("SMS");
    const byDb = await as(member, (tx) => tx.updateTable("lead_sources").set({ archived_at: new Date() }).where("key", "=", "trade_show").executeTakeFirst());
    expect(Number(byDb.numUpdatedRows)).toBe(0);
  });
});

describe("lead statuses", () => {
  it("an admin adds one with a category, after the others, and reorders them", async () => {
    const { key } = await as(admin, (tx, a) => addLeadStatus(tx, a, { label: "Contacted", category: "open" }));
    expect(key).toBe("contacted");
    let order = (await as(member, (tx) => listLeadStatuses(tx))).map((s) => s.key);
    expect(order).toEqual(["new", "qualified", "routed", "won", "lost", "contacted"]);
    await as(admin, (tx, a) => reorderLeadStatuses(tx, a, { keys: ["new", "contacted", "qualified", "routed", "won", "lost"] }));
    order = (await as(member, (tx) => listLeadStatuses(tx))).map((s) => s.key);
    expect(order).toEqual(["new", "contacted", "qualified", "routed", "won", "lost"]);
    // An order that leaves one out is stale, not applied.
    const stale = await refusal(as(admin, (tx, a) => reorderLeadStatuses(tx, a, { keys: ["contacted", "new"] })));
    expect(stale.code).toBe("conflict");
  });

  it("renames and recategorises its own statuses; a built-in status keeps its category", async () => {
    const { key } = await as(admin, (tx, a) => addLeadStatus(tx, a, { label: "Not a fit", category: "open" }));
    await as(admin, (tx, a) => updateLeadStatus(tx, a, { key, label: "Disqualified", category: "lost" }));
    expect((await as(member, (tx) => listLeadStatuses(tx))).find((s) => s.key === key)).toMatchObject({ label: "Disqualified", category: "lost" });
    await as(admin, (tx, a) => updateLeadStatus(tx, a, { key: "won", label: "Signed", category: "won" }));
    const e = await refusal(as(admin, (tx, a) => updateLeadStatus(tx, a, { key: "won", label: "Signed", category: "open" })));
    expect(e.details).toEqual({ category: ["A built-in status keeps its category"] });
    const bad = await refusal(as(admin, (tx, a) => updateLeadStatus(tx, a, { key, label: "Disqualified", category: "maybe" })));
    expect(bad.details).toEqual({ category: ["Choose open, won or lost"] });
  });

  it("archives a status only after moving its leads, in one transaction, and restores it", async () => {
    const { key } = await as(admin, (tx, a) => addLeadStatus(tx, a, { label: "Nurture" }));
    const { id } = await as(member, (tx, a) => createLead(tx, a, { first_name: "Nora", status: key }));
    const needsTarget = await refusal(as(admin, (tx, a) => archiveLeadStatus(tx, a, { key })));
    expect(needsTarget.details).toEqual({ moveTo: ["Choose the status its 1 lead move to"] });
    // The database refuses it too, whoever asks.
    const direct = await as(admin, (tx) => tx.updateTable("lead_statuses").set({ archived_at: new Date() }).where("key", "=", key).execute()).catch((e) => e);
    expect(direct).toMatchObject({ code: "23514" });
    // A target that is itself archived is refused on the field, and nothing moves.
    const { key: gone } = await as(admin, (tx, a) => addLeadStatus(tx, a, { label: "Old" }));
    await as(admin, (tx, a) => archiveLeadStatus(tx, a, { key: gone }));
    const archivedTarget = await refusal(as(admin, (tx, a) => archiveLeadStatus(tx, a, { key, moveTo: gone })));
    expect(archivedTarget.details).toEqual({ moveTo: ['The status "Old" is archived; choose another'] });
    expect((await t.admin`select status from leads where id = ${id}`)[0].status).toBe(key);

    expect(await as(admin, (tx, a) => archiveLeadStatus(tx, a, { key, moveTo: "qualified" }))).toEqual({ moved: 1 });
    expect((await t.admin`select status from leads where id = ${id}`)[0].status).toBe("qualified");
    expect(await t.admin`select from_status, to_status from lead_status_history where lead_id = ${id} order by id`).toEqual([
      { from_status: null, to_status: key },
      { from_status: key, to_status: "qualified" },
    ]);
    const settings = await as(admin, (tx) => listLeadSettings(tx));
    expect(settings.statuses.find((s) => s.key === key)).toMatchObject({ archived: true, leads: 0 });
    const refused = await refusal(as(member, (tx, a) => updateLead(tx, a, id, { status: key })));
    expect(refused.details).toEqual({ status: ['The status "Nurture" is archived; choose another'] });
    await as(admin, (tx, a) => restoreLeadStatus(tx, a, { key }));
    await as(member, (tx, a) => updateLead(tx, a, id, { status: key }));
  });

  it("built-in statuses are never archived, and members change nothing", async () => {
    const e = await refusal(as(admin, (tx, a) => archiveLeadStatus(tx, a, { key: "routed", moveTo: "new" })));
    expect(e.details).toHaveProperty("key");
    const direct = await as(owner, (tx) => tx.updateTable("lead_statuses").set({ archived_at: new Date() }).where("key", "=", "lost").execute()).catch((err) => err);
    expect(direct).toMatchObject({ code: "23514" });
    expect((await refusal(as(member, (tx, a) => addLeadStatus(tx, a, { label: "Mine" })))).code).toBe("forbidden");
    const insert = await as(member, (tx) =>
      tx.insertInto("lead_statuses").values({ org_id: owner.orgId, key: "mine", label: "Mine" }).execute()).catch((err) => err);
    expect(insert).toMatchObject({ code: "42501" });
    const update = await as(member, (tx) => tx.updateTable("lead_statuses").set({ label: "Hijacked" }).where("key", "=", "new").executeTakeFirst());
    expect(Number(update.numUpdatedRows)).toBe(0);
  });
});
