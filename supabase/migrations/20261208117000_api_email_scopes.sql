-- API keys can read the email log and send email (emails:read,
-- emails:write). The allowed list is extended with what it already holds,
-- not restated, so this composes with any other migration adding scopes.
do $$
declare
  allowed text[];
begin
  select array_agg(distinct m[1] order by m[1]) into allowed
    from pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+:[a-z_]+)''', 'g') m
   where c.conrelid = 'public.api_keys'::regclass and c.conname = 'api_keys_scopes_check';
  allowed := allowed || array(select s from unnest(array['emails:read', 'emails:write']) s where not s = any (allowed));
  alter table public.api_keys drop constraint api_keys_scopes_check;
  execute format('alter table public.api_keys add constraint api_keys_scopes_check check (cardinality(scopes) > 0 and scopes <@ %L::text[])', allowed);
end
$$;
