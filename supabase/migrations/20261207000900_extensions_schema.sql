-- Extensions belong in schema `extensions`, where Supabase keeps them and
-- where our SQL names them. A database migrated before the tenancy migration
-- said so has citext, pg_trgm and btree_gin (and, from an older embedded
-- platform, pgcrypto) in `public`: they move. Columns and indexes refer to
-- their types and operator classes by oid, and the functions that call them
-- have `extensions` on their search_path, so everything follows. Does
-- nothing on a database the current chain built.
do $$
declare
  ext text;
begin
  for ext in
    select e.extname from pg_extension e
    where e.extnamespace = 'public'::regnamespace and e.extname in ('citext', 'pg_trgm', 'btree_gin', 'pgcrypto')
  loop
    execute format('alter extension %I set schema extensions', ext);
  end loop;
end
$$;
