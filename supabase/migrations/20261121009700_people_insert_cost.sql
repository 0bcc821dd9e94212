-- What each new person costs the database, for imports of many rows.

-- One name index for both directions. The name is never NULL (full_name is a
-- generated btrim of coalesces), so the people list orders it without NULLS
-- LAST (its field says notNull) and people_org_name_idx serves ascending
-- pages forward and descending ones backward. The descending copy was one
-- more index entry, and one more lower(full_name), per inserted person.
drop index public.people_list_name_desc_idx;

-- The policy check of every inserted or updated row, and the per-row filter
-- wherever the org is not an index key. private.current_org_id() keeps its
-- answer for the transaction (20261121009300), but each call still entered a
-- security definer plpgsql function (a switch of user and of search_path):
-- about 7 µs, 100,000 times in a 100,000-row import. The memo is now read
-- here, in SQL the planner inlines into the policies, and the function is
-- called only when the memo does not hold for these exact claims. Same
-- answer: the memo is written only by private.current_org_id() and
-- private.api_key_authenticate() after their membership checks.
create or replace function public.is_member_of(org uuid) returns boolean
language sql stable as $$
  select org = case
    when nullif(pg_catalog.current_setting('request.jwt.claims', true), '')
         operator(pg_catalog.=) pg_catalog.current_setting('covey.current_org_for', true)
    then pg_catalog.current_setting('covey.current_org', true)::uuid
    else private.current_org_id()
  end
$$;
