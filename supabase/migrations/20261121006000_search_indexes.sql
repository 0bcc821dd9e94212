-- Typo-tolerant search (command palette) over people, companies and deals.
--
-- One trigram index per object over the text a user types to find a record.
-- btree_gin puts org_id in the same GIN index, so the bitmap scan intersects
-- the caller's org (RLS: org_id = current_org_id()) with the trigram matches
-- instead of rechecking every org's matches. Partial on active records: the
-- palette never shows archived ones.
--
-- The indexed expressions are repeated verbatim in modules/crm/search/queries.ts
-- (the planner only uses an expression index for the identical expression).
-- pg_trgm and btree_gin live wherever the platform put them (public locally,
-- `extensions` on Supabase); both are on the search_path of the roles that
-- query.
create extension if not exists pg_trgm;
create extension if not exists btree_gin;

-- Name, email and the E.164 phone: digits typed without formatting match the
-- phone as a substring ("4155550100" in "+14155550100").
create index people_search_idx on public.people using gin
  (org_id, (lower(full_name || ' ' || coalesce(email::text, '') || ' ' || coalesce(phone, ''))) gin_trgm_ops)
  where archived_at is null;

create index companies_search_idx on public.companies using gin
  (org_id, (lower(name || ' ' || coalesce(domain::text, ''))) gin_trgm_ops)
  where archived_at is null;

create index deals_search_idx on public.deals using gin
  (org_id, (lower(name)) gin_trgm_ops)
  where archived_at is null;
