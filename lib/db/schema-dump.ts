// A schema-only dump read from the catalog with PostgreSQL's own pg_get_*def
// functions: works against any server version without pg_dump, and is
// ordered by name (not by creation), so two databases with the same schema
// give the same text whatever chain of migrations built them.
import type postgres from "postgres";

/**
 * Schemas the platform provides (Supabase, or its stand-in in
 * supabase/local/sql); the migrations' objects are everything else, plus
 * their triggers on platform tables (auth.users).
 */
export const PLATFORM_SCHEMAS = ["auth", "extensions", "supabase_migrations", "local_dev"];

const OURS = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_'
  and n.nspname not in (${sqlList(PLATFORM_SCHEMAS)})`;

function sqlList(values: string[]) {
  return values.map((v) => `'${v}'`).join(", ");
}

/** Objects that belong to an extension are its script's, not ours. */
const NOT_EXTENSION = (classid: string, oid: string) =>
  `not exists (select 1 from pg_depend d where d.classid = '${classid}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;

/** `grant` statements from an ACL, one per grantee, privileges sorted. */
const GRANTS = (acl: string, object: string) => `(
  select string_agg(format('grant %s on %s to %s;', privs, ${object}, grantee), E'\\n' order by grantee)
  from (
    select case when a.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end as grantee,
           string_agg(lower(a.privilege_type) || case when a.is_grantable then ' (grantable)' else '' end, ', '
                      order by a.privilege_type) as privs
    from aclexplode(${acl}) a
    group by a.grantee
  ) g
)`;

export async function dumpSchema(sql: postgres.Sql): Promise<string> {
  // Every name schema-qualified, whatever the session's search_path.
  await sql.unsafe("set search_path = ''");
  const sections: string[] = [];
  const add = async (title: string, query: string) => {
    const rows = await sql.unsafe<{ def: string }[]>(query).catch((e: Error & { position?: string }) => {
      throw new Error(`schema dump, ${title}: ${e.message} at: ${query.slice(Number(e.position) - 80, Number(e.position) + 20)}`, { cause: e });
    });
    const body = rows.map((r) => r.def.trimEnd()).filter(Boolean);
    if (body.length) sections.push(`-- ${title}\n\n${body.join("\n\n")}`);
  };

  await add(
    "Extensions",
    `select format('create extension if not exists %I with schema %I;', e.extname, n.nspname) as def
     from pg_extension e join pg_namespace n on n.oid = e.extnamespace
     where e.extname <> 'plpgsql' order by e.extname`,
  );

  await add(
    "Schemas",
    `select concat_ws(E'\\n', format('create schema %I;', n.nspname),
                      format('alter schema %I owner to %I;', n.nspname, pg_get_userbyid(n.nspowner)),
                      ${GRANTS("n.nspacl", "'schema ' || quote_ident(n.nspname)")}) as def
     from pg_namespace n where ${OURS} order by n.nspname`,
  );

  await add(
    "Types",
    `select case t.typtype
       when 'e' then format('create type %s as enum (%s);', t.oid::regtype,
         (select string_agg(quote_literal(l.enumlabel), ', ' order by l.enumsortorder) from pg_enum l where l.enumtypid = t.oid))
       when 'd' then format('create domain %s as %s%s%s;', t.oid::regtype, format_type(t.typbasetype, t.typtypmod),
         case when t.typnotnull then ' not null' else '' end,
         coalesce((select string_agg(' constraint ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), '' order by c.conname)
                   from pg_constraint c where c.contypid = t.oid), ''))
       when 'c' then format('create type %s as (%s);', t.oid::regtype,
         (select string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' order by a.attnum)
          from pg_attribute a where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped))
       end as def
     from pg_type t join pg_namespace n on n.oid = t.typnamespace
     where ${OURS} and (t.typtype in ('e', 'd') or (t.typtype = 'c' and (select relkind from pg_class where oid = t.typrelid) = 'c'))
       and ${NOT_EXTENSION("pg_type", "t.oid")}
     order by n.nspname, t.typname`,
  );

  await add(
    "Sequences",
    `select format('create sequence %s as %s increment %s minvalue %s maxvalue %s start %s cache %s%s;',
                   c.oid::regclass, format_type(s.seqtypid, null), s.seqincrement, s.seqmin, s.seqmax, s.seqstart,
                   s.seqcache, case when s.seqcycle then ' cycle' else '' end) as def
     from pg_sequence s join pg_class c on c.oid = s.seqrelid join pg_namespace n on n.oid = c.relnamespace
     where ${OURS} and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i'))
     order by 1`,
  );

  await add(
    "Tables",
    `select concat_ws(E'\\n',
       format('create %stable %s (%s%s);', case c.relpersistence when 'u' then 'unlogged ' else '' end, c.oid::regclass,
         (select string_agg(E'\\n  ' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                  || case when a.attcollation <> t.typcollation then ' collate ' || a.attcollation::regcollation::text else '' end
                  || case when a.attidentity = 'a' then ' generated always as identity'
                          when a.attidentity = 'd' then ' generated by default as identity' else '' end
                  || case when a.attgenerated = 's' then ' generated always as (' || pg_get_expr(ad.adbin, ad.adrelid) || ') stored'
                          when ad.adbin is not null then ' default ' || pg_get_expr(ad.adbin, ad.adrelid) else '' end
                  || case when a.attnotnull then ' not null' else '' end,
                  ',' order by a.attnum)
          from pg_attribute a join pg_type t on t.oid = a.atttypid
          left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
          where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), E'\\n'),
       case when c.reloptions is not null then format('alter table %s set (%s);', c.oid::regclass, array_to_string(c.reloptions, ', ')) end,
       format('alter table %s owner to %I;', c.oid::regclass, pg_get_userbyid(c.relowner)),
       (select string_agg(format('alter table %s add constraint %I %s;', c.oid::regclass, k.conname, pg_get_constraintdef(k.oid)), E'\\n' order by k.conname)
        from pg_constraint k where k.conrelid = c.oid and k.contype not in ('n', 't')),
       case when c.relrowsecurity then format('alter table %s enable row level security;', c.oid::regclass) end,
       case when c.relforcerowsecurity then format('alter table %s force row level security;', c.oid::regclass) end,
       case when c.relreplident <> 'd' then format('-- replica identity %s', c.relreplident) end,
       ${GRANTS("c.relacl", "'table ' || c.oid::regclass::text")},
       (select string_agg(${GRANTS("a.attacl", "format('table %s (%I)', c.oid::regclass, a.attname)")}, E'\\n' order by a.attname)
        from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attacl is not null)
     ) as def
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where ${OURS} and c.relkind in ('r', 'p') and ${NOT_EXTENSION("pg_class", "c.oid")}
     order by n.nspname, c.relname`,
  );

  await add(
    "Indexes",
    `select pg_get_indexdef(i.indexrelid) || ';' as def
     from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
     join pg_class tc on tc.oid = i.indrelid
     where ${OURS} and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid)
       and ${NOT_EXTENSION("pg_class", "tc.oid")}
     order by n.nspname, tc.relname, c.relname`,
  );

  await add(
    "Views",
    `select concat_ws(E'\\n',
       format('create %s %s as%s', case c.relkind when 'm' then 'materialized view' else 'view' end, c.oid::regclass,
              E'\\n' || pg_get_viewdef(c.oid)),
       format('alter table %s owner to %I;', c.oid::regclass, pg_get_userbyid(c.relowner)),
       ${GRANTS("c.relacl", "'table ' || c.oid::regclass::text")}) as def
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where ${OURS} and c.relkind in ('v', 'm') and ${NOT_EXTENSION("pg_class", "c.oid")}
     order by n.nspname, c.relname`,
  );

  await add(
    "Functions",
    `select concat_ws(E'\\n',
       pg_get_functiondef(p.oid) || ';',
       format('alter %s %s owner to %I;', case p.prokind when 'p' then 'procedure' else 'function' end,
              p.oid::regprocedure, pg_get_userbyid(p.proowner)),
       ${GRANTS("coalesce(p.proacl, acldefault('f', p.proowner))", "'function ' || p.oid::regprocedure::text")}) as def
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where ${OURS} and p.prokind in ('f', 'p') and ${NOT_EXTENSION("pg_proc", "p.oid")}
     order by n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)`,
  );

  await add(
    "Triggers",
    `select pg_get_triggerdef(g.oid) || ';'
            || case g.tgenabled when 'O' then '' else format(E'\\n-- enabled: %s', g.tgenabled) end as def
     from pg_trigger g join pg_class c on c.oid = g.tgrelid join pg_namespace n on n.oid = c.relnamespace
     join pg_proc p on p.oid = g.tgfoid join pg_namespace pn on pn.oid = p.pronamespace
     where not g.tgisinternal
       and (${OURS} or ${OURS.replaceAll("n.nspname", "pn.nspname")})
     order by n.nspname, c.relname, g.tgname`,
  );

  await add(
    "Policies",
    `select format('create policy %I on %s as %s for %s to %s%s%s;', p.polname, c.oid::regclass,
              case when p.polpermissive then 'permissive' else 'restrictive' end,
              case p.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' else 'all' end,
              (select string_agg(case when r = 0 then 'public' else quote_ident(pg_get_userbyid(r)) end, ', ' order by 1)
               from unnest(p.polroles) r),
              coalesce(E'\\n  using (' || pg_get_expr(p.polqual, p.polrelid) || ')', ''),
              coalesce(E'\\n  with check (' || pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')) as def
     from pg_policy p join pg_class c on c.oid = p.polrelid join pg_namespace n on n.oid = c.relnamespace
     where ${OURS}
     order by n.nspname, c.relname, p.polname`,
  );

  await add(
    "Default privileges",
    `select format(E'-- for role %I%s, on %s:\\n%s', pg_get_userbyid(d.defaclrole),
              coalesce(' in schema ' || quote_ident(n.nspname), ''),
              case d.defaclobjtype when 'r' then 'tables' when 'S' then 'sequences' when 'f' then 'functions'
                                   when 'T' then 'types' when 'n' then 'schemas' end,
              coalesce(${GRANTS("d.defaclacl", "'new objects'")}, '-- (none)')) as def
     from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace
     where n.oid is null or ${OURS}
     order by pg_get_userbyid(d.defaclrole), n.nspname, d.defaclobjtype`,
  );

  return `${sections.join("\n\n")}\n`;
}

/**
 * The rows the migrations themselves put in their tables (settings and the
 * like), table by table in a stable order: a consolidated chain must leave
 * the same data too.
 */
export async function dumpMigrationData(sql: postgres.Sql): Promise<string> {
  await sql.unsafe("set search_path = ''");
  const tables = await sql.unsafe<{ name: string }[]>(
    `select c.oid::regclass::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where ${OURS} and c.relkind in ('r', 'p') order by n.nspname, c.relname`,
  );
  const out: string[] = [];
  for (const { name } of tables) {
    const rows = await sql.unsafe<{ r: string }[]>(`select t::text as r from ${name} t order by 1`);
    if (rows.length) out.push(`-- ${name}\n${rows.map((x) => x.r).join("\n")}`);
  }
  return `${out.join("\n\n")}\n`;
}
