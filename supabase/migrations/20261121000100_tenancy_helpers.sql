-- Tenancy helpers: the private schema, the org role type, and the functions
-- every policy is keyed on.

-- The extensions the schema uses beyond Supabase's defaults (pgcrypto):
-- citext for emails and domains, pg_trgm and btree_gin for search. Created
-- before the default privileges below are narrowed, so their functions stay
-- executable by everyone, as the extension scripts intend.
create extension if not exists citext;
create extension if not exists pg_trgm;
create extension if not exists btree_gin;

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
  updated_at timestamptz not null default now()
);
create index org_members_org_id_idx on public.org_members (org_id);
alter table public.org_members enable row level security;

-- The caller's org and role, read past RLS. security definer with an empty
-- search_path; stable so the planner evaluates it once per statement and
-- uses it as an index key.
create function private.current_org_id() returns uuid
language sql stable security definer set search_path = '' as $$
  select m.org_id from public.org_members m where m.user_id = auth.uid()
$$;

create function private.current_org_role() returns public.org_role
language sql stable security definer set search_path = '' as $$
  select m.role from public.org_members m where m.user_id = auth.uid()
$$;

revoke all on function private.current_org_id() from public;
revoke all on function private.current_org_role() from public;
grant execute on function private.current_org_id() to authenticated, service_role;
grant execute on function private.current_org_role() to authenticated, service_role;

-- Plain SQL, not security definer, no SET clause: inlinable, so a policy
-- `is_member_of(org_id)` becomes `org_id = private.current_org_id()` and
-- uses the org_id index.
create function public.is_member_of(org uuid) returns boolean
language sql stable as $$
  select org = private.current_org_id()
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
