-- Orderings the people and companies lists use on large orgs. The list engine
-- sorts `<expr> <dir> NULLS LAST, id <dir>` (so keyset pages see every row
-- once); a `desc` index defaults to NULLS FIRST and cannot serve that order,
-- so the newest-first default and the descending name sort get their own.
-- Partial on active records, which is what lists show unless asked for the
-- archive.
create index people_list_created_idx on public.people (org_id, created_at desc nulls last, id desc)
  where archived_at is null;
create index people_list_name_desc_idx on public.people (org_id, lower(full_name) desc nulls last, id desc)
  where archived_at is null;
create index people_list_contacted_idx on public.people (org_id, last_contacted_at desc nulls last, id desc)
  where archived_at is null;
create index companies_list_created_idx on public.companies (org_id, created_at desc nulls last, id desc)
  where archived_at is null;
create index companies_list_name_desc_idx on public.companies (org_id, lower(name) desc nulls last, id desc)
  where archived_at is null;
