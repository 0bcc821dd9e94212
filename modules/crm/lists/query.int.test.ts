// The planner against real Postgres, on a scratch table of its own: every
// sort walks all pages exactly once in the database's own order, filters
// match what hand-written SQL selects, bad input is a 400, and values stay
// values.

import { type Kysely, sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/tests/support/db";
import { customFieldToListField, type ListFieldSql } from "./fields";
import { applyListPlan, countMatching, encodeCursor, isListQueryError, type ListPlanOptions, pageFromRows } from "./query";
import { DEFAULT_SORT, type Filter, type ListState } from "./state";

const t = useTestDatabase();

interface ScratchDB {
  list_scratch: {
    id: string;
    name: string | null;
    email: string | null;
    score: string | null;
    amount: string | null;
    born: string | null;
    created_at: Date | null;
    status: string | null;
    tags: string[] | null;
    owner_id: string | null;
    done: boolean | null;
    custom: unknown;
    archived_at: Date | null;
    rank: number;
  };
}

const OWNERS = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222", "33333333-3333-4333-8333-333333333333"];
const ROWS = 1000;

const fields: ListFieldSql[] = [
  { key: "name", label: "Name", type: "text", sql: sql.ref("s.name"), sortable: true, filterable: true, searchable: true },
  { key: "email", label: "Email", type: "email", sql: sql.ref("s.email"), sortable: true, filterable: true, searchable: true },
  { key: "score", label: "Score", type: "number", sql: sql.ref("s.score"), sortable: true, filterable: true },
  { key: "amount", label: "Amount", type: "money", sql: sql.ref("s.amount"), sortable: true, filterable: true },
  { key: "born", label: "Born", type: "date", sql: sql.ref("s.born"), sortable: true, filterable: true },
  { key: "created_at", label: "Created", type: "datetime", sql: sql.ref("s.created_at"), sortable: true, filterable: true },
  { key: "status", label: "Status", type: "select", sql: sql.ref("s.status"), sortable: true, filterable: true },
  { key: "tags", label: "Tags", type: "tags", sql: sql.ref("s.tags"), sortable: false, filterable: true },
  { key: "owner", label: "Owner", type: "user", sql: sql.ref("s.owner_id"), sortable: true, filterable: true },
  { key: "done", label: "Done", type: "checkbox", sql: sql.ref("s.done"), sortable: true, filterable: true },
  { key: "rank", label: "Rank", type: "number", sql: sql.ref("s.rank"), sortable: true, filterable: true, notNull: true },
  customFieldToListField({ key: "budget", label: "Budget", field_type: "number" }, "s"),
  customFieldToListField({ key: "due", label: "Due", field_type: "date" }, "s"),
  customFieldToListField({ key: "flag", label: "Flag", field_type: "checkbox" }, "s"),
  customFieldToListField({ key: "colors", label: "Colors", field_type: "multi_select" }, "s"),
  customFieldToListField({ key: "note", label: "Note", field_type: "text" }, "s"),
];

/** The same expressions as hand-written SQL, for the expected order. */
const sortSql: Record<string, string> = {
  name: "name",
  email: "email",
  score: "score",
  amount: "amount",
  born: "born",
  created_at: "created_at",
  status: "status",
  owner: "owner_id::text",
  done: "done",
  rank: "rank",
  "custom.budget": "(custom->>'budget')::numeric",
  "custom.due": "(custom->>'due')::date",
  "custom.flag": "(custom->>'flag')::boolean",
  "custom.note": "custom->>'note'",
};

const state = (s: Partial<ListState> = {}): ListState => ({ filters: [], sort: DEFAULT_SORT, ...s });

function run<T>(fn: (db: Kysely<ScratchDB>) => Promise<T>) {
  return t.db.asService((tx) => fn(tx as unknown as Kysely<ScratchDB>));
}

async function page(s: ListState, opts: Partial<ListPlanOptions> = {}) {
  const o = { idRef: "s.id", pageSize: 50, ...opts };
  return run(async (db) => {
    const raw = await applyListPlan(db.selectFrom("list_scratch as s").select(["s.id", "s.name"]), fields, s, o).execute();
    return pageFromRows(raw, o);
  });
}

async function ids(filters: Filter[], extra: Partial<ListState> = {}, opts: Partial<ListPlanOptions> = {}) {
  const out: string[] = [];
  let after: string | undefined;
  do {
    const p = await page(state({ filters, ...extra, after }), { pageSize: 200, ...opts });
    out.push(...p.rows.map((r) => r.id));
    after = p.nextCursor ?? undefined;
  } while (after);
  return out.sort();
}

async function expected(where: string, archived = false) {
  const rows = await t.admin.unsafe(
    `select id from list_scratch where archived_at is ${archived ? "not " : ""}null and (${where}) order by id`,
  );
  return rows.map((r) => r.id as string).sort();
}

async function listError(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isListQueryError(e)) return { status: e.status, code: e.code, message: e.message, details: e.details ?? {} };
    throw e;
  }
  throw new Error("expected the list engine's refusal");
}

beforeAll(async () => {
  await t.admin.unsafe(`
    create table list_scratch (
      id uuid primary key default gen_random_uuid(),
      name text, email text, score numeric, amount bigint, born date, created_at timestamptz,
      status text, tags text[], owner_id uuid, done boolean,
      custom jsonb not null default '{}', archived_at timestamptz,
      rank int not null default 0
    );
    grant select on list_scratch to service_role;
    insert into list_scratch (name, email, score, amount, born, created_at, status, tags, owner_id, done, custom, archived_at, rank)
    select
      case when i % 10 = 0 then null when i % 11 = 0 then '' else 'Name ' || (i % 37) end,
      case when i % 8 = 0 then null else 'user' || i || '@example.test' end,
      case when i % 9 = 0 then null else (i % 23)::numeric / 4 end,
      case when i % 12 = 0 then null else (i % 19) * 250 end,
      case when i % 14 = 0 then null else date '2000-01-01' + (i % 40) end,
      -- duplicate hours, microseconds that a JS Date would round away
      case when i % 13 = 0 then null
           else timestamptz '2026-03-01 00:00:00+00' + (i % 50) * interval '1 hour' + (i % 3) * interval '1 microsecond' end,
      (array['open', 'won', 'lost', null])[1 + i % 4],
      case when i % 6 = 0 then null when i % 6 = 1 then '{}'::text[] when i % 6 = 2 then array['vip'] else array['hot', 'vip'] end,
      (array['${OWNERS.join("'::uuid, '")}'::uuid, null])[1 + i % 4],
      case when i % 5 = 0 then null else i % 2 = 0 end,
      jsonb_strip_nulls(jsonb_build_object(
        'budget', case when i % 7 = 0 then null else (i % 17) * 100 end,
        'due', case when i % 4 = 0 then null else to_char(date '2026-01-01' + (i % 60), 'YYYY-MM-DD') end,
        'flag', case when i % 3 = 0 then null else i % 2 = 1 end,
        'colors', case when i % 5 = 0 then null when i % 5 = 1 then '["red"]'::jsonb else '["blue","green"]'::jsonb end,
        'note', case when i % 2 = 0 then 'note ' || (i % 31) end)),
      case when i % 50 = 0 then now() end,
      i % 29
    from generate_series(1, ${ROWS - 4}) i;
    insert into list_scratch (name, email, owner_id, created_at) values
      ('100% _off\\', 'percent@example.test', null, null),
      ('100 off', 'plain@example.test', null, null),
      ('O''Brien', 'obrien@example.test', null, null),
      ('a_b', 'underscore@example.test', null, null);
  `);
});

describe("keyset pagination", () => {
  const sortable = fields.filter((f) => f.sortable);

  it.each(sortable.flatMap((f) => (["asc", "desc"] as const).map((dir) => [f.key, dir] as const)))(
    "walks every row exactly once, in order, sorted by %s %s",
    async (key, dir) => {
      const want = (
        await t.admin.unsafe(
          `select id from list_scratch where archived_at is null order by ${sortSql[key]} ${dir} nulls last, id ${dir}`,
        )
      ).map((r) => r.id as string);
      expect(want.length).toBeGreaterThan(900);

      const got: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const p = await page(state({ sort: { field: key, dir }, after }), { pageSize: 37 });
        expect(p.rows.length).toBeLessThanOrEqual(37);
        expect(p.rows[0]).not.toHaveProperty("__sort");
        got.push(...p.rows.map((r) => r.id));
        after = p.nextCursor ?? undefined;
        pages++;
      } while (after && pages < 100);
      expect(got).toEqual(want);
      expect(new Set(got).size).toBe(want.length);
    },
  );

  it("has no next page when the last page is exactly full", async () => {
    const filters: Filter[] = [{ field: "name", op: "eq", value: "Name 5" }];
    const n = (await expected("name = 'Name 5'")).length;
    expect(n).toBeGreaterThan(2);
    expect((await page(state({ filters }), { pageSize: n })).nextCursor).toBeNull();
    const first = await page(state({ filters }), { pageSize: n - 1 });
    expect(first.nextCursor).not.toBeNull();
    const second = await page(state({ filters, after: first.nextCursor! }), { pageSize: n - 1 });
    expect(second.rows).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });

  it("counts what matches, ignoring sort and cursor", async () => {
    const filters: Filter[] = [{ field: "status", op: "in", value: ["open", "won"] }];
    const n = await run((db) => countMatching(db, db.selectFrom("list_scratch as s"), fields, state({ filters }), { idRef: "s.id" }));
    expect(n).toBe((await expected("status in ('open','won')")).length);
  });

  it("counts the same whichever order the page walks (nullable sorts keep their NULL rows)", async () => {
    const filters: Filter[] = [{ field: "status", op: "in", value: ["open", "won"] }];
    const want = (await expected("status in ('open','won')")).length;
    for (const sort of [{ field: "name", dir: "desc" }, { field: "score", dir: "asc" }, { field: "rank", dir: "desc" }] as const) {
      const n = await run((db) => countMatching(db, db.selectFrom("list_scratch as s"), fields, state({ filters, sort }), { idRef: "s.id" }));
      expect(n, `${sort.field} ${sort.dir}`).toBe(want);
    }
  });
});

describe("filters", () => {
  const cases: [string, Filter[], string][] = [
    ["text contains", [{ field: "name", op: "contains", value: "name 1" }], "name ilike '%name 1%'"],
    ["text contains treats % and _ literally", [{ field: "name", op: "contains", value: "100%" }], "name = '100% _off\\'"],
    ["text contains _", [{ field: "name", op: "contains", value: "_" }], "name like '%\\_%'"],
    ["text contains backslash", [{ field: "name", op: "contains", value: "\\" }], "name = '100% _off\\'"],
    ["text not_contains keeps empty and null", [{ field: "name", op: "not_contains", value: "name" }], "name is null or name not ilike '%name%'"],
    ["text eq is case-insensitive", [{ field: "name", op: "eq", value: "NAME 3" }], "name = 'Name 3'"],
    ["text neq", [{ field: "name", op: "neq", value: "name 3" }], "name is distinct from 'Name 3'"],
    ["text empty", [{ field: "name", op: "empty" }], "name is null or name = ''"],
    ["text not_empty", [{ field: "name", op: "not_empty" }], "name <> ''"],
    ["quote in a value", [{ field: "name", op: "eq", value: "o'brien" }], "name = 'O''Brien'"],
    ["number gt", [{ field: "score", op: "gt", value: "2.5" }], "score > 2.5"],
    ["number lte", [{ field: "score", op: "lte", value: "1" }], "score <= 1"],
    ["number neq keeps nulls", [{ field: "score", op: "neq", value: "0" }], "score is distinct from 0"],
    ["number empty", [{ field: "score", op: "empty" }], "score is null"],
    ["money in major units", [{ field: "amount", op: "gte", value: "25.5" }], "amount >= 2550"],
    ["date before", [{ field: "born", op: "before", value: "2000-01-10" }], "born < '2000-01-10'"],
    ["date after", [{ field: "born", op: "after", value: "2000-01-30" }], "born > '2000-01-30'"],
    ["date on", [{ field: "born", op: "eq", value: "2000-01-05" }], "born = '2000-01-05'"],
    [
      "datetime on a day",
      [{ field: "created_at", op: "eq", value: "2026-03-02" }],
      "created_at >= '2026-03-02'::date::timestamptz and created_at < '2026-03-03'::date::timestamptz",
    ],
    [
      "datetime after a day means from the next day",
      [{ field: "created_at", op: "after", value: "2026-03-02" }],
      "created_at >= '2026-03-03'::date::timestamptz",
    ],
    [
      "datetime before an instant",
      [{ field: "created_at", op: "before", value: "2026-03-01T05:00:00Z" }],
      "created_at < '2026-03-01T05:00:00Z'",
    ],
    ["select in", [{ field: "status", op: "in", value: ["open", "won"] }], "status in ('open','won')"],
    ["select not_in keeps nulls", [{ field: "status", op: "not_in", value: ["open"] }], "status is null or status <> 'open'"],
    ["select eq", [{ field: "status", op: "eq", value: "lost" }], "status = 'lost'"],
    ["tags in (any)", [{ field: "tags", op: "in", value: ["hot", "nope"] }], "tags && array['hot']"],
    ["tags not_in (none)", [{ field: "tags", op: "not_in", value: ["hot"] }], "not coalesce(tags && array['hot'], false)"],
    ["tags empty", [{ field: "tags", op: "empty" }], "coalesce(cardinality(tags), 0) = 0"],
    ["tags not_empty", [{ field: "tags", op: "not_empty" }], "cardinality(tags) > 0"],
    ["user eq", [{ field: "owner", op: "eq", value: OWNERS[1] }], `owner_id = '${OWNERS[1]}'`],
    ["user in", [{ field: "owner", op: "in", value: [OWNERS[0], OWNERS[2]] }], `owner_id in ('${OWNERS[0]}', '${OWNERS[2]}')`],
    ["user neq keeps unassigned", [{ field: "owner", op: "neq", value: OWNERS[0] }], `owner_id is distinct from '${OWNERS[0]}'`],
    ["user empty", [{ field: "owner", op: "empty" }], "owner_id is null"],
    ["checkbox true", [{ field: "done", op: "is_true" }], "done"],
    ["checkbox false includes unset", [{ field: "done", op: "is_false" }], "done is not true"],
    ["custom number", [{ field: "custom.budget", op: "gt", value: "1000" }], "(custom->>'budget')::numeric > 1000"],
    ["custom number empty", [{ field: "custom.budget", op: "empty" }], "custom->'budget' is null"],
    ["custom date", [{ field: "custom.due", op: "before", value: "2026-01-15" }], "(custom->>'due')::date < '2026-01-15'"],
    ["custom checkbox", [{ field: "custom.flag", op: "is_true" }], "(custom->>'flag')::boolean"],
    ["custom checkbox false", [{ field: "custom.flag", op: "is_false" }], "(custom->>'flag')::boolean is not true"],
    ["custom multi_select any", [{ field: "custom.colors", op: "in", value: ["red", "green"] }], "custom->'colors' ?| array['red','green']"],
    ["custom multi_select none", [{ field: "custom.colors", op: "not_in", value: ["red"] }], "not coalesce(custom->'colors' ? 'red', false)"],
    ["custom multi_select empty", [{ field: "custom.colors", op: "empty" }], "custom->'colors' is null"],
    ["custom text contains", [{ field: "custom.note", op: "contains", value: "note 1" }], "custom->>'note' ilike '%note 1%'"],
    [
      "filters combine with and",
      [
        { field: "status", op: "eq", value: "open" },
        { field: "score", op: "gte", value: "3" },
      ],
      "status = 'open' and score >= 3",
    ],
  ];

  it.each(cases)("%s", async (_name, filters, where) => {
    const want = await expected(where);
    expect(want.length).toBeGreaterThan(0);
    expect(await ids(filters)).toEqual(want);
  });

  it("runs a datetime filter's day from midnight to midnight in the member's zone", async () => {
    const onDay = [{ field: "created_at", op: "eq", value: "2026-03-02" }] satisfies Filter[];
    const auckland = await expected("created_at >= '2026-03-02 00:00+13' and created_at < '2026-03-03 00:00+13'");
    expect(auckland.length).toBeGreaterThan(0);
    expect(auckland).not.toEqual(await expected("created_at >= '2026-03-02 00:00+00' and created_at < '2026-03-03 00:00+00'"));
    expect(await ids(onDay, {}, { timeZone: "Pacific/Auckland" })).toEqual(auckland);
    expect(await ids([{ field: "created_at", op: "before", value: "2026-03-02" }], {}, { timeZone: "Pacific/Auckland" })).toEqual(
      await expected("created_at < '2026-03-02 00:00+13'"),
    );
    expect(await ids([{ field: "created_at", op: "after", value: "2026-03-01" }], {}, { timeZone: "America/New_York" })).toEqual(
      await expected("created_at >= '2026-03-02 00:00-05'"),
    );
    // A calendar date is no instant: the zone leaves it alone.
    expect(await ids([{ field: "born", op: "eq", value: "2000-01-05" }], {}, { timeZone: "Pacific/Auckland" })).toEqual(
      await expected("born = '2000-01-05'"),
    );
  });

  it('"me" resolves to the signed-in member', async () => {
    expect(await ids([{ field: "owner", op: "eq", value: "me" }], {}, { userId: OWNERS[2] })).toEqual(
      await expected(`owner_id = '${OWNERS[2]}'`),
    );
    const e = await listError(ids([{ field: "owner", op: "eq", value: "me" }]));
    expect(e.message).toBe('Owner: "me" needs a signed-in member');
  });

  it("quick search looks through the searchable fields", async () => {
    expect(await ids([], { q: "user12@" })).toEqual(await expected("email ilike '%user12@%'"));
    expect(await ids([], { q: "brien" })).toEqual(await expected("name ilike '%brien%'"));
  });

  it("shows archived rows only when asked", async () => {
    expect(await ids([], { archived: true })).toEqual(await expected("true", true));
    expect((await ids([])).length + (await ids([], { archived: true })).length).toBe(ROWS);
  });

  it("can be told the object has no archive column", async () => {
    expect(await ids([], {}, { archivedRef: null })).toHaveLength(ROWS);
  });
});

describe("invalid input", () => {
  it.each([
    ["an unknown filter field", state({ filters: [{ field: "nope", op: "eq", value: "1" }] }), 'Unknown field "nope" in filter'],
    ["an op the type does not take", state({ filters: [{ field: "score", op: "contains", value: "1" }] }), 'Score: "contains" is not a filter for this field'],
    ["a value that is not a number", state({ filters: [{ field: "custom.budget", op: "gt", value: "lots" }] }), 'Budget: "lots" is not a number'],
    ["a bad date", state({ filters: [{ field: "born", op: "before", value: "yesterday" }] }), 'Born: "yesterday" is not a date (YYYY-MM-DD)'],
    ["a bad member id", state({ filters: [{ field: "owner", op: "eq", value: "bob" }] }), "Owner: not a valid member"],
    ["an unknown sort", state({ sort: { field: "nope", dir: "asc" } }), 'Unknown field "nope" in sort'],
    ["a sort on a field that cannot be sorted", state({ sort: { field: "tags", dir: "asc" } }), "Tags cannot be sorted on"],
  ])("rejects %s with a 400 naming the field", async (_name, s, message) => {
    const e = await listError(page(s));
    expect(e.status).toBe(400);
    expect(e.message).toBe(message);
  });

  it("collects every bad filter at once", async () => {
    const e = await listError(
      page(state({ filters: [{ field: "nope", op: "eq", value: "1" }, { field: "score", op: "gt", value: "x" }] })),
    );
    expect(Object.keys(e.details)).toEqual(["f"]);
    expect(e.details.f).toHaveLength(2);
    expect(e.details.f[0]).toContain("nope");
  });

  it("rejects a NULL cursor value for a field that cannot be NULL", async () => {
    const e = await listError(page(state({ sort: { field: "rank", dir: "asc" }, after: encodeCursor(null, OWNERS[0]) })));
    expect(e).toMatchObject({ status: 400, code: "invalid_cursor", details: { cursor: [expect.any(String)] } });
  });

  it("rejects an out-of-range page size", async () => {
    expect((await listError(page(state(), { pageSize: 201 }))).message).toContain("from 1 to 200");
    expect((await listError(page(state(), { pageSize: 0 }))).message).toContain("from 1 to 200");
  });

  const garbage = [
    "%%%",
    "bm90IGpzb24",
    Buffer.from("{}").toString("base64url"),
    Buffer.from('["x"]').toString("base64url"),
    encodeCursor("5", "not-a-uuid"),
    Buffer.from(JSON.stringify([5, OWNERS[0]])).toString("base64url"),
  ];
  it.each(garbage)("rejects the tampered cursor %s", async (after) => {
    const e = await listError(page(state({ after })));
    expect(e).toMatchObject({ status: 400, code: "invalid_cursor", details: { cursor: [expect.any(String)] } });
  });

  it.each([
    ["score", "abc"],
    ["score", "1; select 1"],
    ["born", "2026-13-01"],
    ["created_at", "tomorrow"],
    ["done", "maybe"],
    ["name", "nul\u0000byte"],
  ])("rejects a cursor whose %s value does not fit the type: %s", async (field, value) => {
    const e = await listError(page(state({ sort: { field, dir: "asc" }, after: encodeCursor(value, OWNERS[0]) })));
    expect(e.status).toBe(400);
  });
});

describe("values stay values", () => {
  const evil = ["'; drop table list_scratch; --", "x') or true --", "%' or '1'='1", "\\'; select pg_sleep(1); --", "}{\"'"];

  it.each(evil)("%s", async (v) => {
    expect(await ids([{ field: "name", op: "eq", value: v }])).toEqual([]);
    expect(await ids([{ field: "name", op: "contains", value: v }])).toEqual([]);
    expect(await ids([{ field: "status", op: "in", value: [v, "open"] }])).toEqual(await expected("status = 'open'"));
    expect(await ids([{ field: "tags", op: "in", value: [v] }])).toEqual([]);
    expect(await ids([{ field: "custom.colors", op: "in", value: [v] }])).toEqual([]);
    expect(await ids([], { q: v })).toEqual([]);
    // A text cursor is any string: it must still be bound, not spliced.
    const after = await page(state({ sort: { field: "name", dir: "asc" }, after: encodeCursor(v, OWNERS[0]) }));
    expect(after.rows.length).toBeGreaterThan(0);
    const [{ n }] = await t.admin`select count(*)::int as n from list_scratch`;
    expect(n).toBe(ROWS);
  });
});
