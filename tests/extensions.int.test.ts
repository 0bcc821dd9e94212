// Extensions live in schema `extensions`, as on hosted Supabase (whose
// database linter flags any in `public`), and our SQL reaches them by that
// name, so it works whatever search_path the caller brings.
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "@/tests/support/db";

const t = useTestDatabase();

/** Every object an extension's script created, with the schema it is in. */
const MEMBERS = `
  select e.extname, x.kind, x.name, x.schema
  from pg_depend d
  join pg_extension e on e.oid = d.refobjid and d.refclassid = 'pg_extension'::regclass
  join lateral (
    select 'function' as kind, p.proname::text as name, p.pronamespace::regnamespace::text as schema
      from pg_proc p where d.classid = 'pg_proc'::regclass and p.oid = d.objid
    union all
    select 'type', t.typname::text, t.typnamespace::regnamespace::text
      from pg_type t where d.classid = 'pg_type'::regclass and t.oid = d.objid
    union all
    select 'operator', o.oprname::text, o.oprnamespace::regnamespace::text
      from pg_operator o where d.classid = 'pg_operator'::regclass and o.oid = d.objid
    union all
    select 'operator class', c.opcname::text, c.opcnamespace::regnamespace::text
      from pg_opclass c where d.classid = 'pg_opclass'::regclass and c.oid = d.objid
    union all
    select 'operator family', f.opfname::text, f.opfnamespace::regnamespace::text
      from pg_opfamily f where d.classid = 'pg_opfamily'::regclass and f.oid = d.objid
  ) x on true
  where d.deptype = 'e'`;

describe("extensions", () => {
  let members: { extname: string; kind: string; name: string; schema: string }[];
  beforeAll(async () => {
    members = await t.admin.unsafe(MEMBERS);
  });

  it("are installed in schema extensions, none in public", async () => {
    const rows = await t.admin<{ extname: string; schema: string }[]>`
      select e.extname, e.extnamespace::regnamespace::text as schema from pg_extension e where e.extname <> 'plpgsql'`;
    const where = Object.fromEntries(rows.map((r) => [r.extname, r.schema]));
    expect(where).toMatchObject({
      pgcrypto: "extensions",
      "uuid-ossp": "extensions",
      citext: "extensions",
      pg_trgm: "extensions",
      btree_gin: "extensions",
      fuzzystrmatch: "extensions",
    });
    expect(rows.filter((r) => r.schema === "public")).toEqual([]);
  });

  it("leave no function, type, operator or operator class in public", () => {
    expect(members.length).toBeGreaterThan(100);
    expect(members.filter((m) => m.schema === "public").map((m) => `${m.extname}: ${m.kind} ${m.name}`)).toEqual([]);
  });

  it("are named by schema in our functions whose search_path leaves them out", async () => {
    // Names that also exist in pg_catalog resolve there unqualified (citext's
    // split_part, pgcrypto's gen_random_uuid), so only the others must be
    // qualified.
    const catalog = new Set(
      (await t.admin<{ name: string }[]>`
        select proname::text as name from pg_proc where pronamespace = 'pg_catalog'::regnamespace
        union select typname::text from pg_type where typnamespace = 'pg_catalog'::regnamespace`).map((r) => r.name),
    );
    const names = [
      ...new Set(members.filter((m) => m.kind === "function" || m.kind === "type").map((m) => m.name)),
    ].filter((n) => !catalog.has(n) && /^[a-z_][a-z0-9_]*$/.test(n));
    const unqualified = new RegExp(`(?<![\\w."])(${names.join("|")})\\b(?!")`, "g");
    const functions = await t.admin<{ name: string; path: string; src: string }[]>`
      select p.oid::regprocedure::text as name, coalesce(c.path, '') as path, p.prosrc as src
      from pg_proc p
      left join lateral (
        select substr(s, length('search_path=') + 1) as path from unnest(p.proconfig) s where s like 'search_path=%'
      ) c on true
      where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
        and p.prolang in (select oid from pg_language where lanname in ('sql', 'plpgsql'))
        and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')`;
    expect(functions.length).toBeGreaterThan(50);
    const offenders = functions.flatMap((f) => {
      if (/\bextensions\b/.test(f.path)) return [];
      // Comments may name a function without calling it.
      const code = f.src.replace(/--[^\n]*/g, "");
      return [...code.matchAll(unqualified)].map((m) => `${f.name}: ${m[1]}`);
    });
    expect(offenders).toEqual([]);
  });

  it("are usable by the API roles", async () => {
    const [r] = await t.admin.begin(async (tx) => {
      await tx`set local role authenticated`;
      await tx`set local search_path = ''`;
      return tx`
        select 'Ann@Example.COM'::extensions.citext operator(extensions.=) 'ann@example.com'::extensions.citext as same,
               extensions.similarity('jonh', 'john') > 0.2 as similar,
               'john' operator(extensions.%) 'johnny' as trigram,
               length(extensions.gen_random_bytes(8)) as bytes`;
    });
    expect(r).toEqual({ same: true, similar: true, trigram: true, bytes: 8 });
  });
});
