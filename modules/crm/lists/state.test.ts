import { describe, expect, it } from "vitest";
import { customFieldToListField, checkFilter, opsFor, visibleColumns, type ListField } from "./fields";
import { filtersOnDays, type ListState, parseListState, readsCustomFields, sameListState, serializeListState, toViewState } from "./state";

const OWNER = "3f1c2a9e-8a51-4c59-9d3e-6d1f0b2c4a77";
const VIEW = "0b9c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3";

describe("parseListState", () => {
  it("reads the documented URL form", () => {
    const qs =
      `q=acme&f=owner:eq:${OWNER}&f=custom.budget:gt:1000&f=tags:in:vip,hot` +
      `&sort=-created_at&cols=name,email,owner&after=abc_-12&view=${VIEW}&archived=1`;
    const r = parseListState(new URLSearchParams(qs));
    expect(r).toEqual({
      ok: true,
      state: {
        q: "acme",
        filters: [
          { field: "owner", op: "eq", value: OWNER },
          { field: "custom.budget", op: "gt", value: "1000" },
          { field: "tags", op: "in", value: ["vip", "hot"] },
        ],
        sort: { field: "created_at", dir: "desc" },
        columns: ["name", "email", "owner"],
        after: "abc_-12",
        view: VIEW,
        archived: true,
      },
    });
  });

  it("accepts Next's searchParams object (single and repeated values)", () => {
    const r = parseListState({ f: ["name:contains:ann", "stage:empty"], sort: "name", q: undefined });
    expect(r.ok && r.state).toEqual({
      filters: [
        { field: "name", op: "contains", value: "ann" },
        { field: "stage", op: "empty" },
      ],
      sort: { field: "name", dir: "asc" },
    });
  });

  it("splits on the first two colons only, so values keep their colons", () => {
    const r = parseListState(new URLSearchParams({ f: "created_at:after:2026-01-02T10:30:00Z" }));
    expect(r.ok && r.state.filters).toEqual([{ field: "created_at", op: "after", value: "2026-01-02T10:30:00Z" }]);
  });

  it("defaults: newest first, no filters; a caller may choose another default sort", () => {
    expect(parseListState(new URLSearchParams())).toEqual({
      ok: true,
      state: { filters: [], sort: { field: "created_at", dir: "desc" } },
    });
    const r = parseListState({}, { sort: { field: "due_at", dir: "asc" } });
    expect(r.ok && r.state.sort).toEqual({ field: "due_at", dir: "asc" });
  });

  it("reports each invalid piece with its parameter and keeps the valid ones", () => {
    const r = parseListState(
      new URLSearchParams([
        ["f", "name:like:x"],
        ["f", "bad field:eq:1"],
        ["f", "email:eq:"],
        ["f", "tags:in:%E0%A4%A"],
        ["f", "name:contains:ok"],
        ["sort", "-;drop table"],
        ["after", "not a cursor!"],
        ["view", "123"],
        ["archived", "yes"],
      ]),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.param)).toEqual(["f", "f", "f", "f", "sort", "after", "view", "archived"]);
    expect(r.issues[0]).toMatchObject({ field: "name", message: expect.stringContaining('unknown operator "like"') });
    expect(r.issues[2]).toMatchObject({ field: "email", message: "Filter on email: enter a value" });
    expect(r.issues[3].message).toContain("not correctly encoded");
    expect(r.error).toContain("Sort");
    expect(r.state.filters).toEqual([{ field: "name", op: "contains", value: "ok" }]);
    expect(r.state.sort).toEqual({ field: "created_at", dir: "desc" });
    expect(r.state.after).toBeUndefined();
  });

  it("refuses NUL characters, which Postgres text cannot hold", () => {
    const r = parseListState(new URLSearchParams("f=name:eq:a%00b&q=x%00"));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.param)).toEqual(["q", "f"]);
  });

  it("caps the number of filters", () => {
    const params = new URLSearchParams();
    for (let i = 0; i < 40; i++) params.append("f", `name:contains:${i}`);
    const r = parseListState(params);
    expect(r.ok).toBe(false);
    expect(r.state.filters).toHaveLength(30);
  });

  it("treats archived=0 and an empty q as absent", () => {
    expect(parseListState(new URLSearchParams("archived=0&q=%20%20"))).toEqual({
      ok: true,
      state: { filters: [], sort: { field: "created_at", dir: "desc" } },
    });
  });
});

describe("serializeListState", () => {
  const state: ListState = {
    q: "acme & co",
    filters: [
      { field: "tags", op: "in", value: ["a,b", "c:d", "é %"] },
      { field: "custom.note", op: "contains", value: "x:y,z" },
      { field: "flag", op: "is_true" },
    ],
    sort: { field: "name", dir: "asc" },
    columns: ["name", "custom.note"],
    after: "cursor_1",
    view: VIEW,
    archived: true,
  };

  it("round-trips through the query string, including commas and colons inside values", () => {
    const qs = serializeListState(state).toString();
    expect(parseListState(new URLSearchParams(qs))).toEqual({ ok: true, state });
  });

  it("writes the documented form", () => {
    const p = serializeListState(state);
    expect(p.getAll("f")).toEqual(["tags:in:a%2Cb,c%3Ad,%C3%A9%20%25", "custom.note:contains:x:y,z", "flag:is_true"]);
    expect(p.get("sort")).toBe("name");
    expect(serializeListState({ ...state, sort: { field: "name", dir: "desc" } }).get("sort")).toBe("-name");
    expect(p.get("archived")).toBe("1");
  });

  it("leaves out the default sort when told what it is", () => {
    const p = serializeListState({ filters: [], sort: { field: "created_at", dir: "desc" } }, { sort: { field: "created_at", dir: "desc" } });
    expect(p.toString()).toBe("");
  });

  it("view state drops cursor and view id; sameListState ignores them", () => {
    expect(toViewState(state)).not.toHaveProperty("after");
    expect(toViewState(state)).not.toHaveProperty("view");
    expect(sameListState(state, { ...state, after: undefined, view: undefined })).toBe(true);
    expect(sameListState(state, { ...state, q: "other" })).toBe(false);
  });
});

describe("fields", () => {
  const field = (type: ListField["type"]): ListField => ({ key: "x", label: "X", type, sortable: true, filterable: true });

  it("declares ops per type and rejects others, naming the field", () => {
    expect(opsFor("checkbox")).toEqual(["is_true", "is_false"]);
    expect(opsFor("number")).toContain("gt");
    expect(checkFilter(field("number"), { field: "x", op: "contains", value: "1" })).toBe(
      'X: "contains" is not a filter for this field',
    );
    expect(checkFilter(field("number"), { field: "x", op: "gt", value: "1e5" })).toBe('X: "1e5" is not a number');
    expect(checkFilter(field("date"), { field: "x", op: "before", value: "2026-02-30" })).toContain("not a date");
    expect(checkFilter(field("user"), { field: "x", op: "eq", value: "me" })).toBeNull();
    expect(checkFilter(field("user"), { field: "x", op: "in", value: [OWNER, "nope"] })).toBe("X: not a valid member");
    expect(checkFilter({ ...field("text"), filterable: false }, { field: "x", op: "eq", value: "a" })).toBe(
      "X cannot be filtered on",
    );
  });

  it("maps custom fields to typed SQL", () => {
    const number = customFieldToListField({ key: "budget", label: "Budget", field_type: "number" }, "p");
    const multi = customFieldToListField(
      { key: "colors", label: "Colors", field_type: "multi_select", options: [{ value: "r", label: "Red" }, "g"] },
      "p",
    );
    expect(number).toMatchObject({ key: "custom.budget", type: "number", sortable: true, align: "right" });
    expect(multi.options).toEqual([
      { value: "r", label: "Red" },
      { value: "g", label: "g" },
    ]);
    expect(multi.sortable).toBe(false);
    expect(typeof multi.filter).toBe("function");
    expect(() => customFieldToListField({ key: "a'b", label: "A", field_type: "text" }, "p")).toThrow(/Invalid custom field key/);
    expect(() => customFieldToListField({ key: "a", label: "A", field_type: "text" }, "p;--")).toThrow(/Invalid table alias/);
  });

  it("visible columns follow the URL, else the defaults", () => {
    const fields: ListField[] = [
      { ...field("text"), key: "a" },
      { ...field("text"), key: "b", defaultVisible: false },
      { ...field("text"), key: "c" },
    ];
    expect(visibleColumns(fields).map((f) => f.key)).toEqual(["a", "c"]);
    expect(visibleColumns(fields, ["b", "gone", "a"]).map((f) => f.key)).toEqual(["b", "a"]);
    expect(visibleColumns(fields, ["gone"]).map((f) => f.key)).toEqual(["a", "c"]);
  });
});

describe("readsCustomFields", () => {
  it("is true when a filter or the sort names a custom field", () => {
    const sort = { field: "name", dir: "asc" } as const;
    expect(readsCustomFields({ filters: [], sort })).toBe(false);
    expect(readsCustomFields({ filters: [{ field: "tags", op: "in", value: ["vip"] }], sort })).toBe(false);
    expect(readsCustomFields({ filters: [{ field: "custom.tier", op: "eq", value: "gold" }], sort })).toBe(true);
    expect(readsCustomFields({ filters: [], sort: { field: "custom.budget", dir: "desc" } })).toBe(true);
  });
});

describe("filtersOnDays", () => {
  it("is true when a filter names a day, which a datetime field reads in the member's zone", () => {
    expect(filtersOnDays({ filters: [] })).toBe(false);
    expect(filtersOnDays({ filters: [{ field: "created_at", op: "before", value: "2026-03-01T05:00:00Z" }] })).toBe(false);
    expect(filtersOnDays({ filters: [{ field: "name", op: "contains", value: "2026" }] })).toBe(false);
    expect(filtersOnDays({ filters: [{ field: "created_at", op: "eq", value: "2026-03-02" }] })).toBe(true);
  });
});
