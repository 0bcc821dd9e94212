-- API keys can read calls and log calls made outside Covey (calls:read,
-- calls:write). The allowed list is extended with what it already holds,
-- not restated, so this composes with any other migration adding scopes.
-- The constraint is read back in whichever form Postgres prints it (an
-- ARRAY['…'::text] or, once rewritten by such a migration, one '{…}'
-- literal), and an empty reading stops the migration instead of leaving
-- a check that no key can pass.
do $$
declare
  allowed text[];
begin
  select array_agg(distinct m[1] order by m[1]) into allowed
    from pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '([a-z_]+:[a-z_]+)', 'g') m
   where c.conrelid = 'public.api_keys'::regclass and c.conname = 'api_keys_scopes_check';
  if coalesce(cardinality(allowed), 0) = 0 then
    raise exception 'api_keys_scopes_check lists no scopes to extend';
  end if;
  allowed := allowed || array(select s from unnest(array['calls:read', 'calls:write']) s where not s = any (allowed));
  alter table public.api_keys drop constraint api_keys_scopes_check;
  execute format('alter table public.api_keys add constraint api_keys_scopes_check check (cardinality(scopes) > 0 and scopes <@ %L::text[])', allowed);
end
$$;
