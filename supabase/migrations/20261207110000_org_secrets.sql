-- Provider credentials (Meta page tokens now; Twilio and Gmail tokens, AI
-- keys next), one row per org and purpose (`meta.page_token:<page id>`).
--
-- `secret` holds the sealed envelope (lib/crypto/envelope.ts): AES-256-GCM
-- under a per-secret data key, itself sealed by a key-encryption key the
-- database never sees (COVEY_SECRET_KEYS), both bound to the org and
-- purpose. The app seals and opens; the database only stores.
--
-- `authenticated` may see that a secret exists (its purpose, key id, last
-- four characters) but never the sealed value: it has no column privilege on
-- `secret`, and writes go through public.store_org_secret, which checks the
-- admin role and takes the org from the session. Only service_role (jobs,
-- Edge Functions, and server code after its own role check) reads it. The
-- audit log leaves `secret` out (private.audit_redact).

create table public.org_secrets (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  purpose text not null check (purpose ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(:[A-Za-z0-9_.-]{1,100})?$' and length(purpose) <= 200),
  secret text not null check (secret ~ '^v1\.[A-Za-z0-9_-]{1,40}(\.[A-Za-z0-9_-]+){4}$' and length(secret) <= 20000),
  -- The key-encryption key the data key is sealed under; rotation re-seals every row not under the active one.
  key_id text not null check (key_id ~ '^[A-Za-z0-9_-]{1,40}$'),
  -- Last four characters of the plaintext, for "••••1234".
  hint text not null default '' check (length(hint) <= 4),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, purpose),
  unique (id, org_id),
  check (split_part(secret, '.', 2) = key_id)
);
create index org_secrets_key_idx on public.org_secrets (key_id);
alter table public.org_secrets enable row level security;

grant select (id, org_id, purpose, key_id, hint, created_by, created_at, updated_at) on public.org_secrets to authenticated;
grant delete on public.org_secrets to authenticated;
grant select, insert, update, delete on public.org_secrets to service_role;

create policy org_secrets_select on public.org_secrets for select to authenticated
  using (public.is_member_of(org_id));
create policy org_secrets_delete on public.org_secrets for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger org_secrets_touch before update on public.org_secrets
  for each row execute function private.touch_updated_at();
create trigger org_secrets_audit after insert or update of secret, key_id or delete on public.org_secrets
  for each row execute function private.audit();

-- Stores (or replaces) the caller's org's secret for `purpose`: owners and
-- admins only. security definer because `authenticated` may not write the
-- column it could then read back through RETURNING.
create function public.store_org_secret(purpose text, sealed text, hint text default '')
returns uuid
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
declare
  org uuid := private.current_org_id();
  secret_id uuid;
begin
  if org is null or not public.has_org_role(org, '{owner,admin}') then
    raise exception 'Only owners and admins can store credentials' using errcode = '42501';
  end if;
  insert into public.org_secrets as s (org_id, purpose, secret, key_id, hint, created_by)
  values (org, store_org_secret.purpose, sealed, split_part(sealed, '.', 2), coalesce(store_org_secret.hint, ''), auth.uid())
  on conflict (org_id, purpose) do update
    set secret = excluded.secret, key_id = excluded.key_id, hint = excluded.hint, created_by = excluded.created_by
  returning s.id into secret_id;
  return secret_id;
end
$$;
grant execute on function public.store_org_secret(text, text, text) to authenticated;
