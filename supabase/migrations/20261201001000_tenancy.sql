-- Tenancy: organizations, their members and API keys (a key acts as the
-- member who made it), and the functions every policy is keyed on.

-- The extensions the schema uses beyond Supabase's defaults (pgcrypto):
-- citext for emails and domains, pg_trgm and btree_gin for search. In schema
-- `extensions`, where Supabase keeps them, so SQL names them
-- `extensions.<name>` and works whatever the caller's search_path. Created
-- before the default privileges below are narrowed, so their functions stay
-- executable by everyone, as the extension scripts intend.
create extension if not exists citext with schema extensions;
create extension if not exists pg_trgm with schema extensions;
create extension if not exists btree_gin with schema extensions;

create schema if not exists private;
revoke all on schema private from public;
-- Policies call private.current_org_id() as the querying role.
grant usage on schema private to authenticated, service_role;

-- Supabase grants anon everything on new objects by default; Covey gives the
-- anonymous role nothing. Tables are granted explicitly, one by one.
alter default privileges in schema public revoke all on tables from anon, authenticated;
alter default privileges in schema public revoke all on sequences from anon, authenticated;
-- Functions are granted one by one too.
alter default privileges in schema public revoke execute on functions from anon, authenticated, public;

create type public.org_role as enum ('owner', 'admin', 'manager', 'member');

create table public.orgs (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 120),
  -- Lower-case domains; empty means anyone may be invited.
  allowed_email_domains text[] not null default '{}',
  default_currency char(3) not null default 'USD' check (default_currency ~ '^[A-Z]{3}$'),
  template text not null default 'sales' check (template in ('sales', 'surrogacy', 'leadgen')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
alter table public.orgs enable row level security;

create table public.org_members (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  -- One organization per account: the same person in two orgs has two accounts.
  user_id uuid not null unique references auth.users (id) on delete cascade,
  role public.org_role not null default 'member',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  -- Record owners are members of the same org: they reference (user_id, org_id).
  constraint org_members_user_org_key unique (user_id, org_id)
);
create index org_members_org_id_idx on public.org_members (org_id);
alter table public.org_members enable row level security;

-- An API key acts as the member who made it, in that member's org, while it
-- is live (not revoked, not expired): the caller's org below reads the key.
-- Its policies, triggers and authentication are in the API keys migration.
create table public.api_keys (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 100),
  -- The visible part of the token (covey_<8 chars>), shown in lists and logs.
  prefix text not null unique check (prefix ~ '^covey_[a-z0-9]{8}$'),
  -- sha256 of the whole token; the token itself is shown once and never stored.
  secret_hash bytea not null check (length(secret_hash) = 32),
  scopes text[] not null check (
    cardinality(scopes) > 0
    and scopes <@ array[
      'people:read', 'people:write', 'companies:read', 'companies:write', 'deals:read', 'deals:write',
      'pipelines:read', 'pipelines:write', 'tasks:read', 'tasks:write', 'notes:read', 'notes:write',
      'webhooks:read', 'webhooks:write'
    ]::text[]
  ),
  -- Requests per minute for this key, one bucket shared by every app instance
  -- (private.api_key_take_token).
  rate_limit_per_minute integer not null default 600 check (rate_limit_per_minute between 1 and 1000000),
  created_by uuid not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by uuid references auth.users (id) on delete set null,
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  -- The key leaves with its member: removing someone from the org removes their keys.
  foreign key (created_by) references public.org_members (user_id) on delete cascade
);
create index api_keys_org_idx on public.api_keys (org_id, created_at desc);
alter table public.api_keys enable row level security;

-- The hash is written once and never read back through the API role.
grant select (id, org_id, name, prefix, scopes, rate_limit_per_minute, created_by, created_at, expires_at,
              last_used_at, revoked_at, revoked_by, updated_at)
  on public.api_keys to authenticated;
grant insert (org_id, name, prefix, secret_hash, scopes, rate_limit_per_minute, created_by, expires_at)
  on public.api_keys to authenticated;
grant update (name, revoked_at, revoked_by) on public.api_keys to authenticated;
grant delete on public.api_keys to authenticated;
grant all on public.api_keys to service_role;

-- The caller's org and role, read past RLS: a signed-in member's, or for an
-- API key the member's in the key's org while the key is live. security
-- definer with an empty search_path; stable so the planner evaluates it once
-- per statement and uses it as an index key.
--
-- private.current_org_id() runs once per row wherever a policy is not an
-- index key: every row an insert or update checks (WITH CHECK), and filters
-- the planner applies row by row. Querying org_members (and, for an API key,
-- api_keys) on every call costs about 35 µs, 112,000 times in a 100,000-row
-- import, so it keeps its answer for the rest of the transaction, keyed by
-- the exact claims it was computed for: about 4.5 µs per call.
--
-- Only a found org is kept, so a membership created later in the same
-- transaction (sign-up, accepting an invitation) is still seen. The memo is
-- transaction-local, so a removed member or a revoked key is refused from
-- the next transaction on. The memo is two ordinary settings:
-- code able to set them could set request.jwt.claims itself, so they open
-- nothing new.
create function private.current_org_id() returns uuid
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

create function private.current_org_role() returns public.org_role
language sql stable security definer set search_path = '' as $$
  select m.role from public.org_members m
  where m.user_id = auth.uid()
    and (auth.jwt() ->> 'api_key_id' is null
         or exists (select 1 from public.api_keys k
                    where k.id = (auth.jwt() ->> 'api_key_id')::uuid and k.org_id = m.org_id
                      and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())))
$$;

revoke all on function private.current_org_id() from public;
revoke all on function private.current_org_role() from public;
grant execute on function private.current_org_id() to authenticated, service_role;
grant execute on function private.current_org_role() to authenticated, service_role;

-- Plain SQL, not security definer, no SET clause: inlinable, so a policy
-- `is_member_of(org_id)` becomes a comparison with the caller's org and
-- uses the org_id index.
--
-- The policy check of every inserted or updated row, and the per-row filter
-- wherever the org is not an index key. private.current_org_id() keeps its
-- answer for the transaction, but each call still enters a security definer
-- plpgsql function (a switch of user and of search_path): about 7 µs,
-- 100,000 times in a 100,000-row import. So the memo is read here, in SQL
-- the planner inlines into the policies, and the function is
-- called only when the memo does not hold for these exact claims. Same
-- answer: the memo is written only by private.current_org_id() and
-- private.api_key_authenticate() after their membership checks.
create function public.is_member_of(org uuid) returns boolean
language sql stable as $$
  select org = case
    when nullif(pg_catalog.current_setting('request.jwt.claims', true), '')
         operator(pg_catalog.=) pg_catalog.current_setting('covey.current_org_for', true)
    then pg_catalog.current_setting('covey.current_org', true)::uuid
    else private.current_org_id()
  end
$$;

create function public.has_org_role(org uuid, roles public.org_role[]) returns boolean
language sql stable as $$
  select org = private.current_org_id() and private.current_org_role() = any (roles)
$$;

grant execute on function public.is_member_of(uuid) to authenticated, service_role;
grant execute on function public.has_org_role(uuid, public.org_role[]) to authenticated, service_role;

create function private.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger orgs_touch before update on public.orgs
  for each row execute function private.touch_updated_at();
create trigger org_members_touch before update on public.org_members
  for each row execute function private.touch_updated_at();
