-- Meta Lead Ads connections: the Facebook pages an org connected and their
-- lead forms. A page belongs to one org across the whole deployment, so the
-- meta-webhook function finds the org of a leadgen event by its page id.
-- The page access token is an org secret (public.org_secrets, purpose
-- `meta.page_token:<page id>`), sealed by the app; this table only says
-- which secret it is and what the last check found.
--
-- Owners and admins manage connections (Settings → Integrations → Meta);
-- every member may see them. The fetch job and the webhook act as
-- service_role.

create table public.meta_pages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  page_id text not null unique check (page_id ~ '^[0-9]{1,30}$'),
  name text not null check (length(name) between 1 and 200),
  token_secret_id uuid not null,
  -- What the last debug_token said: valid, expiring (within 7 days), expired, invalid (revoked or lost a permission).
  token_status text not null default 'unknown' check (token_status in ('unknown', 'valid', 'expiring', 'expired', 'invalid')),
  token_expires_at timestamptz,
  token_checked_at timestamptz,
  token_error text check (length(token_error) <= 500),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  foreign key (token_secret_id, org_id) references public.org_secrets (id, org_id)
);
create index meta_pages_org_idx on public.meta_pages (org_id, created_at);
create index meta_pages_secret_idx on public.meta_pages (token_secret_id);
alter table public.meta_pages enable row level security;

grant select, delete on public.meta_pages to authenticated;
grant insert (org_id, page_id, name, token_secret_id, token_status, token_expires_at, token_checked_at, token_error)
  on public.meta_pages to authenticated;
grant update (name, token_secret_id, token_status, token_expires_at, token_checked_at, token_error) on public.meta_pages to authenticated;
grant select, update on public.meta_pages to service_role;

create policy meta_pages_select on public.meta_pages for select to authenticated
  using (public.is_member_of(org_id));
create policy meta_pages_insert on public.meta_pages for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy meta_pages_update on public.meta_pages for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy meta_pages_delete on public.meta_pages for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger meta_pages_touch before update on public.meta_pages
  for each row execute function private.touch_updated_at();
create trigger meta_pages_audit after insert or update of name, token_secret_id or delete on public.meta_pages
  for each row execute function private.audit();

-- Disconnecting a page drops its token with it.
create function private.meta_page_drop_token() returns trigger
language plpgsql set search_path = '' as $$
begin
  delete from public.org_secrets s where s.id = old.token_secret_id and s.org_id = old.org_id
    and not exists (select 1 from public.meta_pages p where p.token_secret_id = old.token_secret_id);
  return null;
end
$$;
create trigger meta_pages_drop_token after delete on public.meta_pages
  for each row execute function private.meta_page_drop_token();

-- A page's lead forms, as last fetched from the Graph API. Only forms with
-- creates_leads make leads; field_mapping maps a form's question keys to lead
-- fields (`first_name`, `email`, …), custom fields (`custom:<key>`) or
-- `ignore`; a key it does not name takes the default mapping
-- (modules/meta/mapping.ts).
create table public.meta_lead_forms (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  page_id uuid not null,
  form_id text not null unique check (form_id ~ '^[0-9]{1,30}$'),
  name text not null check (length(name) between 1 and 300),
  status text not null default 'ACTIVE' check (status ~ '^[A-Z_]{1,40}$'),
  -- The form's questions: [{ key, label, type }].
  questions jsonb not null default '[]' check (jsonb_typeof(questions) = 'array'),
  creates_leads boolean not null default false,
  field_mapping jsonb not null default '{}' check (jsonb_typeof(field_mapping) = 'object'),
  synced_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  foreign key (page_id, org_id) references public.meta_pages (id, org_id) on delete cascade
);
create index meta_lead_forms_page_idx on public.meta_lead_forms (page_id, name);
create index meta_lead_forms_org_idx on public.meta_lead_forms (org_id);
alter table public.meta_lead_forms enable row level security;

grant select, delete on public.meta_lead_forms to authenticated;
grant insert (org_id, page_id, form_id, name, status, questions, creates_leads, field_mapping, synced_at) on public.meta_lead_forms to authenticated;
grant update (name, status, questions, creates_leads, field_mapping, synced_at) on public.meta_lead_forms to authenticated;
grant select on public.meta_lead_forms to service_role;

create policy meta_lead_forms_select on public.meta_lead_forms for select to authenticated
  using (public.is_member_of(org_id));
create policy meta_lead_forms_insert on public.meta_lead_forms for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy meta_lead_forms_update on public.meta_lead_forms for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy meta_lead_forms_delete on public.meta_lead_forms for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger meta_lead_forms_touch before update on public.meta_lead_forms
  for each row execute function private.touch_updated_at();
create trigger meta_lead_forms_audit after insert or update of creates_leads, field_mapping or delete on public.meta_lead_forms
  for each row execute function private.audit();
