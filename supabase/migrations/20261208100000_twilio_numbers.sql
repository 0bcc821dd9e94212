-- Twilio for an org: its account credentials and the numbers it registered.
--
-- A number belongs to one org across the whole deployment (`phones.number`
-- is unique), so the twilio-sms and twilio-voice functions find the org of an
-- inbound message or call by its `To` number before anything else.
--
-- The account's auth token (and an API key's secret, when the org prefers
-- keys for the REST API) are org secrets (public.org_secrets, purposes
-- `twilio.auth_token` and `twilio.api_key_secret`), sealed by the app; this
-- table says which secrets they are and what the last test found. The auth
-- token is needed even with an API key: Twilio signs every webhook with it.
--
-- Owners and admins manage both (Settings → Numbers); every member may see
-- them. Edge Functions and jobs act as service_role.

create table public.twilio_accounts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null unique references public.orgs (id) on delete cascade,
  account_sid text not null check (account_sid ~ '^AC[0-9a-f]{32}$'),
  auth_token_secret_id uuid not null,
  api_key_sid text check (api_key_sid ~ '^SK[0-9a-f]{32}$'),
  api_key_secret_id uuid,
  friendly_name text check (length(friendly_name) <= 200),
  -- What the last test connection found.
  status text not null default 'unknown' check (status in ('unknown', 'ok', 'failed')),
  checked_at timestamptz,
  check_error text check (length(check_error) <= 500),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  check ((api_key_sid is null) = (api_key_secret_id is null)),
  foreign key (auth_token_secret_id, org_id) references public.org_secrets (id, org_id),
  foreign key (api_key_secret_id, org_id) references public.org_secrets (id, org_id)
);
create index twilio_accounts_auth_secret_idx on public.twilio_accounts (auth_token_secret_id);
create index twilio_accounts_key_secret_idx on public.twilio_accounts (api_key_secret_id);
alter table public.twilio_accounts enable row level security;

grant select, delete on public.twilio_accounts to authenticated;
grant insert (org_id, account_sid, auth_token_secret_id, api_key_sid, api_key_secret_id, friendly_name, status, checked_at, check_error)
  on public.twilio_accounts to authenticated;
grant update (account_sid, auth_token_secret_id, api_key_sid, api_key_secret_id, friendly_name, status, checked_at, check_error)
  on public.twilio_accounts to authenticated;
grant select, update on public.twilio_accounts to service_role;

create policy twilio_accounts_select on public.twilio_accounts for select to authenticated
  using (public.is_member_of(org_id));
create policy twilio_accounts_insert on public.twilio_accounts for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy twilio_accounts_update on public.twilio_accounts for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy twilio_accounts_delete on public.twilio_accounts for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger twilio_accounts_touch before update on public.twilio_accounts
  for each row execute function private.touch_updated_at();
create trigger twilio_accounts_audit after insert or update of account_sid, auth_token_secret_id, api_key_sid or delete on public.twilio_accounts
  for each row execute function private.audit();

-- Disconnecting Twilio drops its credentials with it.
create function private.twilio_account_drop_secrets() returns trigger
language plpgsql set search_path = '' as $$
begin
  delete from public.org_secrets s
  where s.org_id = old.org_id and s.id in (old.auth_token_secret_id, old.api_key_secret_id);
  return null;
end
$$;
create trigger twilio_accounts_drop_secrets after delete on public.twilio_accounts
  for each row execute function private.twilio_account_drop_secrets();

create table public.phones (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  -- E.164, as Twilio sends it in `To` and `From`.
  number text not null unique check (number ~ '^\+[1-9][0-9]{6,14}$'),
  label text not null default '' check (length(label) <= 100),
  sms_enabled boolean not null default true,
  voice_enabled boolean not null default true,
  -- Who an inbound text from an unknown sender is given to (the new lead's owner).
  default_owner_id uuid,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  foreign key (default_owner_id, org_id) references public.org_members (user_id, org_id) on delete set null (default_owner_id)
);
create index phones_org_idx on public.phones (org_id, created_at);
create index phones_owner_idx on public.phones (default_owner_id);
alter table public.phones enable row level security;

grant select, delete on public.phones to authenticated;
grant insert (org_id, number, label, sms_enabled, voice_enabled, default_owner_id) on public.phones to authenticated;
grant update (label, sms_enabled, voice_enabled, default_owner_id) on public.phones to authenticated;
grant select on public.phones to service_role;

create policy phones_select on public.phones for select to authenticated
  using (public.is_member_of(org_id));
create policy phones_insert on public.phones for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy phones_update on public.phones for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy phones_delete on public.phones for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger phones_touch before update on public.phones
  for each row execute function private.touch_updated_at();
create trigger phones_audit after insert or update or delete on public.phones
  for each row execute function private.audit();
