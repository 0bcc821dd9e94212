-- CRM core records: custom field definitions, companies, people, saved views.
--
-- Cross-record references are composite foreign keys that include org_id, so
-- the database itself refuses a row pointing at another org's record (a plain
-- FK is checked past RLS and would accept it). `on delete set null (col)`
-- clears only the reference, never org_id (PostgreSQL 15+).

-- Helpers in `private` run inside triggers and definer functions; nobody
-- calls them directly.
alter default privileges revoke execute on functions from public;

-- Signed-in people (and API keys) act as `authenticated`; trusted server
-- work runs as service_role or maintenance as the owner.
create function private.is_end_user() returns boolean
language sql stable set search_path = '' as $$
  select coalesce(auth.role(), '') in ('authenticated', 'anon')
$$;

-- Definer triggers read past RLS. They skip their work for rows outside the
-- caller's org, so RLS refuses the write without a message that could reveal
-- another org's settings.
create function private.acts_for(org uuid) returns boolean
language sql stable set search_path = '' as $$
  select not private.is_end_user() or org = private.current_org_id()
$$;

-- Why an actor made a change (e.g. a deal's lost reason), read by history
-- triggers from a transaction-local setting the app sets beside the write.
create function private.change_reason() returns text
language sql stable set search_path = '' as $$
  select nullif(current_setting('covey.change_reason', true), '')
$$;

-- ---------------------------------------------------------------------------
-- Custom fields: defined per org and object, validated on every write by
-- trigger, so the UI, the API and imports cannot store a value of the wrong
-- shape.
-- ---------------------------------------------------------------------------
create type public.crm_object as enum ('person', 'company', 'deal');
create type public.custom_field_type as enum
  ('text', 'number', 'date', 'select', 'multi_select', 'checkbox', 'url', 'email', 'phone');

create table public.custom_field_definitions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  object_type public.crm_object not null,
  -- Stable machine name used in `custom` jsonb, filters, imports and the API.
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null check (length(btrim(label)) between 1 and 80),
  field_type public.custom_field_type not null,
  -- select / multi_select: [{"value": "...", "label": "..."}]
  options jsonb not null default '[]' check (jsonb_typeof(options) = 'array'),
  required boolean not null default false,
  position int not null default 0,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, object_type, key)
);
alter table public.custom_field_definitions enable row level security;
create trigger custom_field_definitions_touch before update on public.custom_field_definitions
  for each row execute function private.touch_updated_at();
create trigger custom_field_definitions_audit after insert or update or delete on public.custom_field_definitions
  for each row execute function private.audit();

grant select on public.custom_field_definitions to authenticated;
grant insert (org_id, object_type, key, label, field_type, options, required, position)
  on public.custom_field_definitions to authenticated;
grant update (label, options, required, position, archived_at) on public.custom_field_definitions to authenticated;
grant delete on public.custom_field_definitions to authenticated;

create policy custom_field_definitions_select on public.custom_field_definitions for select to authenticated
  using (public.is_member_of(org_id));
create policy custom_field_definitions_insert on public.custom_field_definitions for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy custom_field_definitions_update on public.custom_field_definitions for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy custom_field_definitions_delete on public.custom_field_definitions for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- Validates NEW.custom against the org's definitions for TG_ARGV[0]. Raises
-- 23514 with hint `custom.<key>` so callers can name the field. An update
-- validates only the keys whose value changed: a record keeps the value of a field archived since (hidden, not
-- lost) and stays editable, and a select value whose option was renamed away
-- is still the record's value until someone changes it.
create function private.check_custom_fields() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj public.crm_object := tg_argv[0]::public.crm_object;
  k text;
  v jsonb;
  def record;
  s text;
  valid boolean;
begin
  -- Most writes carry no custom values (an import of plain rows): done
  -- before looking up the caller's org.
  if new.custom is null or new.custom = '{}' then
    new.custom := '{}';
    return new;
  end if;
  if not private.acts_for(new.org_id) then
    return new;
  end if;
  if jsonb_typeof(new.custom) <> 'object' then
    raise exception 'Custom fields must be an object' using errcode = '23514', hint = 'custom';
  end if;
  new.custom := jsonb_strip_nulls(new.custom);
  if new.custom = '{}' or (tg_op = 'UPDATE' and new.custom = old.custom) then
    return new;
  end if;
  for k, v in select e.key, e.value from jsonb_each(new.custom) e loop
    if tg_op = 'UPDATE' and old.custom -> k = v then
      continue;
    end if;
    select d.label, d.field_type, d.options into def
      from public.custom_field_definitions d
      where d.org_id = new.org_id and d.object_type = obj and d.key = k and d.archived_at is null;
    if not found then
      raise exception 'Unknown custom field "%"', k using errcode = '23514', hint = 'custom.' || k;
    end if;
    s := case when jsonb_typeof(v) = 'string' then v #>> '{}' end;
    valid := case def.field_type
      when 'text' then s is not null and length(s) <= 10000
      when 'number' then jsonb_typeof(v) = 'number'
      when 'date' then s ~ '^\d{4}-\d{2}-\d{2}$'
      when 'checkbox' then jsonb_typeof(v) = 'boolean'
      when 'url' then s ~* '^https?://[^\s/$.?#][^\s]*$' and length(s) <= 2048
      when 'email' then s ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and s = lower(s)
      when 'phone' then s ~ '^\+[1-9][0-9]{6,14}$'
      when 'select' then s is not null and def.options @> jsonb_build_array(jsonb_build_object('value', s))
      when 'multi_select' then jsonb_typeof(v) = 'array' and not exists (
        select 1 from jsonb_array_elements(v) x
        where jsonb_typeof(x) <> 'string' or not def.options @> jsonb_build_array(jsonb_build_object('value', x)))
    end;
    if valid and def.field_type = 'date' then
      begin
        perform s::date;
      exception when others then
        valid := false;
      end;
    end if;
    if not coalesce(valid, false) then
      raise exception '% is not a valid %', def.label, replace(def.field_type::text, '_', '-')
        using errcode = '23514', hint = 'custom.' || k;
    end if;
  end loop;
  return new;
end
$$;

-- ---------------------------------------------------------------------------
-- Companies
-- ---------------------------------------------------------------------------
create table public.companies (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  domain citext check (domain ~ '^[a-z0-9.-]+\.[a-z]{2,}$'),
  website text check (website ~* '^https?://'),
  email citext check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  phone text check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  industry text check (length(industry) <= 100),
  employee_count int check (employee_count >= 0),
  description text check (length(description) <= 10000),
  linkedin_url text check (linkedin_url ~* '^https://'),
  address_line1 text,
  address_line2 text,
  city text,
  -- US states as 2-letter codes (normalised by the app); free text elsewhere.
  state text,
  postal_code text,
  country text,
  tags text[] not null default '{}',
  owner_id uuid,
  last_contacted_at timestamptz,
  custom jsonb not null default '{}',
  archived_at timestamptz,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  foreign key (owner_id, org_id) references public.org_members (user_id, org_id) on delete set null (owner_id)
);
create index companies_org_created_idx on public.companies (org_id, created_at desc, id desc);
create index companies_org_name_idx on public.companies (org_id, lower(name), id);
create index companies_org_owner_idx on public.companies (org_id, owner_id);
create index companies_org_domain_idx on public.companies (org_id, domain) where domain is not null;
create index companies_tags_idx on public.companies using gin (tags);
alter table public.companies enable row level security;

-- ---------------------------------------------------------------------------
-- People
-- ---------------------------------------------------------------------------
create table public.people (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  first_name text check (length(first_name) <= 100),
  last_name text check (length(last_name) <= 100),
  full_name text generated always as
    (btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) stored,
  -- Primary address, unique among the org's active people (see index below).
  email citext check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  additional_emails citext[] not null default '{}',
  -- E.164.
  phone text check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  additional_phones text[] not null default '{}',
  title text check (length(title) <= 150),
  company_id uuid,
  linkedin_url text check (linkedin_url ~* '^https://'),
  website text check (website ~* '^https?://'),
  address_line1 text,
  address_line2 text,
  city text,
  state text,
  postal_code text,
  country text,
  source text check (length(source) <= 100),
  tags text[] not null default '{}',
  owner_id uuid,
  last_contacted_at timestamptz,
  custom jsonb not null default '{}',
  archived_at timestamptz,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  check (length(btrim(coalesce(first_name, '') || coalesce(last_name, ''))) > 0 or email is not null),
  foreign key (owner_id, org_id) references public.org_members (user_id, org_id) on delete set null (owner_id),
  foreign key (company_id, org_id) references public.companies (id, org_id) on delete set null (company_id)
);
create unique index people_org_email_active_key on public.people (org_id, email)
  where archived_at is null and email is not null;
create index people_org_name_idx on public.people (org_id, lower(full_name), id);
create index people_org_owner_idx on public.people (org_id, owner_id);
create index people_org_phone_idx on public.people (org_id, phone) where phone is not null;
create index people_company_idx on public.people (company_id) where company_id is not null;
create index people_tags_idx on public.people using gin (tags);
alter table public.people enable row level security;

-- ---------------------------------------------------------------------------
-- Grants and policies shared by the record tables. Members work records;
-- owners and admins hard-delete. Archiving is a role-gated update (trigger).
-- ---------------------------------------------------------------------------
grant select on public.companies, public.people to authenticated;
grant insert (id, org_id, name, domain, website, email, phone, industry, employee_count, description, linkedin_url,
              address_line1, address_line2, city, state, postal_code, country, tags, owner_id, last_contacted_at,
              custom, archived_at)
  on public.companies to authenticated;
grant update (name, domain, website, email, phone, industry, employee_count, description, linkedin_url,
              address_line1, address_line2, city, state, postal_code, country, tags, owner_id, last_contacted_at,
              custom, archived_at)
  on public.companies to authenticated;
grant insert (id, org_id, first_name, last_name, email, additional_emails, phone, additional_phones, title, company_id,
              linkedin_url, website, address_line1, address_line2, city, state, postal_code, country, source, tags,
              owner_id, last_contacted_at, custom, archived_at)
  on public.people to authenticated;
grant update (first_name, last_name, email, additional_emails, phone, additional_phones, title, company_id,
              linkedin_url, website, address_line1, address_line2, city, state, postal_code, country, source, tags,
              owner_id, last_contacted_at, custom, archived_at)
  on public.people to authenticated;
grant delete on public.companies, public.people to authenticated;

create policy companies_select on public.companies for select to authenticated using (public.is_member_of(org_id));
create policy companies_insert on public.companies for insert to authenticated with check (public.is_member_of(org_id));
create policy companies_update on public.companies for update to authenticated
  using (public.is_member_of(org_id)) with check (public.is_member_of(org_id));
create policy companies_delete on public.companies for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy people_select on public.people for select to authenticated using (public.is_member_of(org_id));
create policy people_insert on public.people for insert to authenticated with check (public.is_member_of(org_id));
create policy people_update on public.people for update to authenticated
  using (public.is_member_of(org_id)) with check (public.is_member_of(org_id));
create policy people_delete on public.people for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- Archive/restore is for managers and up; the owner field may be set by
-- anyone on create but only reassigned by managers and up (records.assign).
-- Trusted server work is not restricted.
create function private.guard_record_update() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  r public.org_role := private.current_org_role();
begin
  if not private.is_end_user() or r in ('owner', 'admin', 'manager') then
    return new;
  end if;
  if new.archived_at is distinct from old.archived_at then
    raise exception 'Only managers, admins and owners can archive or restore records'
      using errcode = '42501', hint = 'archived_at';
  end if;
  -- A member may hand over a record they own or claim an unowned one for
  -- themselves; giving anyone else's record, or an unowned one, to someone
  -- else is reassigning. NULL-safe throughout: `NULL <> uid` is never true.
  -- Read through jsonb: tasks share this guard and have no owner column.
  if (to_jsonb(new) ->> 'owner_id') is distinct from (to_jsonb(old) ->> 'owner_id')
     and (to_jsonb(old) ->> 'owner_id') is distinct from auth.uid()::text
     and ((to_jsonb(old) ->> 'owner_id') is not null or (to_jsonb(new) ->> 'owner_id') is distinct from auth.uid()::text) then
    raise exception 'Only managers, admins and owners can reassign a record owned by someone else'
      using errcode = '42501', hint = 'owner_id';
  end if;
  return new;
end
$$;

create trigger companies_touch before update on public.companies
  for each row execute function private.touch_updated_at();
create trigger companies_guard before update of archived_at, owner_id on public.companies
  for each row execute function private.guard_record_update();

create trigger people_touch before update on public.people
  for each row execute function private.touch_updated_at();
create trigger people_guard before update of archived_at, owner_id on public.people
  for each row execute function private.guard_record_update();

-- ---------------------------------------------------------------------------
-- Saved views: list state (filters, sort, columns), private or shared.
-- ---------------------------------------------------------------------------
create table public.saved_views (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  object_type text not null check (object_type in ('person', 'company', 'deal', 'task')),
  name text not null check (length(btrim(name)) between 1 and 80),
  owner_id uuid not null default auth.uid(),
  shared boolean not null default false,
  state jsonb not null default '{}' check (jsonb_typeof(state) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (owner_id, org_id) references public.org_members (user_id, org_id) on delete cascade,
  unique (org_id, owner_id, object_type, name)
);
create index saved_views_org_object_idx on public.saved_views (org_id, object_type);
alter table public.saved_views enable row level security;
create trigger saved_views_touch before update on public.saved_views
  for each row execute function private.touch_updated_at();

grant select on public.saved_views to authenticated;
grant insert (org_id, object_type, name, shared, state) on public.saved_views to authenticated;
grant update (name, shared, state) on public.saved_views to authenticated;
grant delete on public.saved_views to authenticated;

create policy saved_views_select on public.saved_views for select to authenticated
  using (public.is_member_of(org_id) and (shared or owner_id = auth.uid()));
create policy saved_views_insert on public.saved_views for insert to authenticated
  with check (public.is_member_of(org_id) and owner_id = auth.uid());
create policy saved_views_update on public.saved_views for update to authenticated
  using (public.is_member_of(org_id) and (owner_id = auth.uid() or (shared and public.has_org_role(org_id, '{owner,admin}'))))
  with check (public.is_member_of(org_id));
create policy saved_views_delete on public.saved_views for delete to authenticated
  using (public.is_member_of(org_id) and (owner_id = auth.uid() or (shared and public.has_org_role(org_id, '{owner,admin}'))));
-- Orderings the people and companies lists use on large orgs. The list engine
-- sorts `<expr> <dir> NULLS LAST, id <dir>` (so keyset pages see every row
-- once); a `desc` index defaults to NULLS FIRST and cannot serve that order,
-- so the newest-first default and the descending name sort get their own.
-- Partial on active records, which is what lists show unless asked for the
-- archive.
create index people_list_created_idx on public.people (org_id, created_at desc nulls last, id desc)
  where archived_at is null;
create index people_list_contacted_idx on public.people (org_id, last_contacted_at desc nulls last, id desc)
  where archived_at is null;
create index companies_list_created_idx on public.companies (org_id, created_at desc nulls last, id desc)
  where archived_at is null;
create index companies_list_name_desc_idx on public.companies (org_id, lower(name) desc nulls last, id desc)
  where archived_at is null;
