// The people list's search box and name/email filters on real Postgres:
// whatever path a search takes (narrowed through the word indexes by
// public.list_search_ids, or a walk of the whole list when it cannot
// narrow), the rows are exactly those the stated rule picks, computed here
// in plain TypeScript from the people as written.

import { beforeAll, describe, expect, it } from "vitest";
import type { Tx } from "@/lib/db";
import { sql } from "@/lib/db";
import { DEFAULT_SORT, type Filter, type ListState } from "@/modules/crm/lists/state";
import type { Actor } from "@/modules/crm/records/input";
import { createUser, type TestUser, useTestDatabase } from "@/tests/support/db";
import { listPeople } from "./queries";
import { archivePeople, createPerson } from "./service";

const t = useTestDatabase();

let owner: TestUser;
let other: TestUser;

const as = <T>(u: TestUser, fn: (tx: Tx, a: Actor) => Promise<T>) =>
  t.db.asUser(u.claims, (tx) => fn(tx, { userId: u.id, orgId: u.orgId, role: "owner" }));

interface Fixture {
  first_name: string;
  last_name?: string;
  email?: string;
  phone?: string;
}

const PEOPLE: Fixture[] = [
  { first_name: "Jane", last_name: "Smith", email: "jsmith2@acme3.io", phone: "+14155550100" },
  { first_name: "Zoë", last_name: "Ünal", email: "zoe@example.com" },
  { first_name: "Mary-Jane", last_name: "O'Neil", email: "mj@oneil.ie", phone: "+442071838750" },
  { first_name: "Bob", last_name: "Jackson", email: "bob.jackson@x.io", phone: "+12125550199" },
  { first_name: "Ada", last_name: "Lovelace", email: "ada1815@engines.co.uk" },
  { first_name: "Smithson", last_name: "Jones", phone: "+13105550123" },
];
const ARCHIVED: Fixture = { first_name: "Archie", last_name: "Smith", email: "archie@old.example" };

const ids = new Map<Fixture, string>();
const fullName = (p: Fixture) => [p.first_name, p.last_name].filter(Boolean).join(" ");

/** The rule the list states, from the fixtures alone. */
function expected(people: Fixture[], typed: string): string[] {
  const q = typed.trim().toLowerCase();
  const digits = q.replace(/\D/g, "");
  const number = !/\p{L}/u.test(q) && digits.length >= 3;
  return people
    .filter((p) => {
      if (!number) return `${fullName(p)} ${p.email ?? ""} ${p.phone ?? ""}`.toLowerCase().includes(q);
      const words: string[] = `${fullName(p)} ${p.email ?? ""}`.match(/\d+/g) ?? [];
      return (p.phone ?? "").includes(digits) || (q.match(/\d+/g) ?? []).every((n) => words.includes(n));
    })
    .map((p) => ids.get(p)!)
    .sort();
}

const state = (s: Partial<ListState>): ListState => ({ filters: [], sort: DEFAULT_SORT, ...s });

async function found(u: TestUser, s: Partial<ListState>): Promise<string[]> {
  const page = await as(u, (tx) => listPeople(tx, state(s), { userId: u.id }));
  expect(page.total).toBe(page.rows.length);
  return page.rows.map((r) => r.id).sort();
}

/** list_search_ids for people, as the member: null, or the candidate ids. */
async function candidates(u: TestUser, q: string, asNumber = false, cap?: number): Promise<string[] | null> {
  return as(u, async (tx) => {
    const { rows } = await sql<{ ids: string[] | null }>`select public.list_search_ids('person', ${q}, ${asNumber}${cap ? sql`, ${cap}` : sql``}) as ids`.execute(tx);
    return rows[0].ids;
  });
}

beforeAll(async () => {
  owner = await createUser(t, { orgName: "Search Co" });
  other = await createUser(t, { orgName: "Elsewhere" });
  for (const p of [...PEOPLE, ARCHIVED]) ids.set(p, (await as(owner, (tx, a) => createPerson(tx, a, p))).id);
  await as(owner, (tx, a) => archivePeople(tx, a, [ids.get(ARCHIVED)!]));
  await as(other, (tx, a) => createPerson(tx, a, { first_name: "Jane", last_name: "Smith", email: "jane@acme3.io", phone: "+14155550100" }));
});

const SEARCHES = [
  "smith", "SMITH", "mith2", "h2@ac", "acme3", "jsmith2@acme3.io", "jane", "ane sm", "  jane smith ",
  "zoë", "ünal", "o'neil", "neil", "ada1", "lovelace", "example", "son", "smithson jones", "ja", "j", "zzz",
  "415", "(415) 555", "4155550100", "+1 212 555 0199", "1815", "815", "0100", "44 20",
  // `_`, `%` and `\` are typed characters, not wildcards (as wildcards the
  // first two would find Jane Smith); capitals match beyond ASCII too.
  "j_ne", "j%smith", "\\", "ZOË",
];

describe("the people list's search", () => {
  it.each(SEARCHES)("finds exactly the people the rule picks for %j", async (q) => {
    expect(await found(owner, { q })).toEqual(expected(PEOPLE, q));
  });

  it("narrows through the word indexes to a superset of the matches, or says it cannot", async () => {
    for (const q of SEARCHES) {
      const lower = q.trim().toLowerCase();
      const number = !/\p{L}/u.test(lower) && lower.replace(/\D/g, "").length >= 3;
      const got = await candidates(owner, lower, number);
      if (got) expect(got, q).toEqual(expect.arrayContaining(expected(PEOPLE, q)));
    }
    // Words the org has, and more than the cap allows: the caller must walk the list.
    expect(await candidates(owner, "smith")).toHaveLength(2);
    expect(await candidates(owner, "smith", false, 1)).toBeNull();
    // Nothing to narrow with: two letters, or a number too short.
    expect(await candidates(owner, "ja")).toBeNull();
    expect(await candidates(owner, "41", true)).toBeNull();
    // A word no person holds finds nobody without reading the people.
    expect(await candidates(owner, "zebulon")).toEqual([]);
  });

  it("never reaches another org's people", async () => {
    const mine = new Set(ids.values());
    expect((await candidates(other, "smith"))?.some((id) => mine.has(id))).toBe(false);
    expect((await candidates(other, "4155550100", true))?.some((id) => mine.has(id))).toBe(false);
    const theirs = await found(other, { q: "smith" });
    expect(theirs).toHaveLength(1);
    expect(mine.has(theirs[0])).toBe(false);
  });

  it("searches archived people when the list shows them", async () => {
    expect(await found(owner, { q: "smith", archived: true })).toEqual([ids.get(ARCHIVED)]);
    expect(await found(owner, { q: "archie" })).toEqual([]);
  });

  it("finds a person renamed or given a new email by the new words", async () => {
    const id = ids.get(PEOPLE[3])!;
    await t.admin`update people set last_name = 'Quixote', email = 'bq77@windmill.example' where id = ${id}`;
    try {
      expect(await found(owner, { q: "quixo" })).toEqual([id]);
      expect(await found(owner, { q: "indmil" })).toEqual([id]);
      expect(await found(owner, { q: "jackson" })).toEqual([]);
    } finally {
      await t.admin`update people set last_name = 'Jackson', email = 'bob.jackson@x.io' where id = ${id}`;
    }
  });

  it("narrows name and email filters the same way, combined with the search", async () => {
    const filter = (field: string, op: Filter["op"], value: string): Filter => ({ field, op, value });
    const byName = (part: string) => PEOPLE.filter((p) => fullName(p).toLowerCase().includes(part)).map((p) => ids.get(p)!).sort();
    expect(await found(owner, { filters: [filter("name", "contains", "smith")] })).toEqual(byName("smith"));
    expect(await found(owner, { filters: [filter("name", "contains", "zebulon")] })).toEqual([]);
    expect(await found(owner, { filters: [filter("email", "contains", "acme3")] })).toEqual([ids.get(PEOPLE[0])]);
    expect(await found(owner, { filters: [filter("name", "eq", "ada lovelace")] })).toEqual([ids.get(PEOPLE[4])]);
    expect(await found(owner, { q: "jones", filters: [filter("name", "contains", "smith")] })).toEqual([ids.get(PEOPLE[5])]);
    expect(await found(owner, { q: "jackson", filters: [filter("name", "contains", "smith")] })).toEqual([]);
  });
});
