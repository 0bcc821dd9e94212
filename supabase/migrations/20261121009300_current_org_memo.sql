-- private.current_org_id() runs once per row wherever a policy is not an
-- index key: every row an insert or update checks (WITH CHECK), and filters
-- the planner applies row by row. As a SQL function it queried org_members
-- (and, for an API key, api_keys) on every call: about 35 µs, 112,000 times
-- in a 100,000-row import. It now keeps its answer for the rest of the
-- transaction, keyed by the exact claims it was computed for: about 4.5 µs
-- per call.
--
-- Only a found org is kept, so a membership created later in the same
-- transaction (sign-up, accepting an invitation) is still seen. The memo is
-- transaction-local, so a removed member or a revoked key is refused from
-- the next transaction on, as before. The memo is two ordinary settings:
-- code able to set them could set request.jwt.claims itself, so they open
-- nothing new.
create or replace function private.current_org_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  claims text := current_setting('request.jwt.claims', true);
  org uuid;
begin
  if claims is not null and current_setting('covey.current_org_for', true) = claims then
    return current_setting('covey.current_org', true)::uuid;
  end if;
  select m.org_id into org from public.org_members m
  where m.user_id = auth.uid()
    and (auth.jwt() ->> 'api_key_id' is null
         or exists (select 1 from public.api_keys k
                    where k.id = (auth.jwt() ->> 'api_key_id')::uuid and k.org_id = m.org_id
                      and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())));
  if org is not null and claims is not null then
    perform set_config('covey.current_org_for', claims, true), set_config('covey.current_org', org::text, true);
  end if;
  return org;
end
$$;
