// The tag filter's suggestions: the org's own tags holding the typed text,
// whatever its case, starting-with first and then the most used, a bounded
// handful, per kind of record, and never another org's.

import { beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { outcome } from "@/tests/support/outcome";
import { suggestTags, TAG_SUGGESTION_LIMIT } from "./tags";

const t = useTestDatabase();
let acme: TestUser;
let other: TestUser;

const suggest = (u: TestUser, input: unknown) => outcome(t.db.asUser(u.claims, (tx) => suggestTags(tx, input)));
const tags = async (u: TestUser, objectType: string, q: string) => {
  const r = await suggest(u, { objectType, q });
  if (!r.ok) throw new Error(r.error);
  return r.data;
};

beforeAll(async () => {
  acme = await createUser(t, { orgName: "Acme" });
  other = await createUser(t, { orgName: "Other" });
  const people = [
    ["decision-maker", "vip"],
    ["decision-maker"],
    ["Decision pending", "100%_sure"],
    ["indecision"],
    ["decision-maker", "VIP"],
  ];
  for (const [i, tagList] of people.entries()) {
    await t.admin`insert into people (org_id, first_name, tags) values (${acme.orgId}, ${`Person ${i}`}, ${tagList})`;
  }
  await t.admin`insert into people (org_id, first_name, tags) values (${other.orgId}, 'Secret', ${["decision-secret", "vip"]})`;
  await t.admin`insert into companies (org_id, name, tags) values (${acme.orgId}, 'Acme Co', ${["decision-unit", "partner"]})`;
  await t.admin`
    insert into people (org_id, first_name, tags)
    select ${acme.orgId}, 'Many', array['tag-' || lpad(i::text, 2, '0')] from generate_series(1, 15) i`;
});

describe("tag suggestions", () => {
  it("offers the org's tags holding the typed text, whatever its case, those starting with it first and then the most used", async () => {
    expect(await tags(acme, "person", "decision")).toEqual(["decision-maker", "Decision pending", "indecision"]);
    expect(await tags(acme, "person", "DECISION")).toEqual(["decision-maker", "Decision pending", "indecision"]);
    expect(await tags(acme, "person", "  deci ")).toEqual(["decision-maker", "Decision pending", "indecision"]);
    expect(await tags(acme, "person", "cisi")).toEqual(["decision-maker", "Decision pending", "indecision"]);
  });

  it("keeps tags that differ in case apart, and reads % and _ as themselves", async () => {
    expect((await tags(acme, "person", "vip")).sort()).toEqual(["VIP", "vip"].sort());
    expect(await tags(acme, "person", "%_")).toEqual(["100%_sure"]);
    expect(await tags(acme, "person", "nothing like it")).toEqual([]);
  });

  it("never offers another org's tags", async () => {
    expect(await tags(acme, "person", "secret")).toEqual([]);
    expect(await tags(other, "person", "deci")).toEqual(["decision-secret"]);
  });

  it("offers the tags of the list's own kind of record", async () => {
    expect(await tags(acme, "company", "deci")).toEqual(["decision-unit"]);
    expect(await tags(acme, "deal", "deci")).toEqual([]);
  });

  it("offers a bounded handful, the most used first when nothing is typed", async () => {
    const many = await tags(acme, "person", "tag-");
    expect(many).toHaveLength(TAG_SUGGESTION_LIMIT);
    expect(many).toEqual(Array.from({ length: TAG_SUGGESTION_LIMIT }, (_, i) => `tag-${String(i + 1).padStart(2, "0")}`));
    expect((await tags(acme, "person", "")).slice(0, 1)).toEqual(["decision-maker"]);
  });

  it("refuses a list without tags and an overlong text, naming the field", async () => {
    const task = await suggest(acme, { objectType: "task", q: "x" });
    expect(task).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { objectType: "This list has no tags" } });
    const long = await suggest(acme, { objectType: "person", q: "x".repeat(101) });
    expect(long).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { q: "Tag is too long (100 characters at most)" } });
  });
});
