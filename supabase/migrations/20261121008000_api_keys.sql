-- API keys and idempotency for the REST API (/api/v1).
--
-- A key belongs to the member who created it and acts as that member, with
-- their current role, narrowed by the key's scopes (checked by the API
-- layer). Requests run as `authenticated` under RLS with claims
-- {sub: member, api_key_id, org_id, scopes}; the org comes from the key row,
-- so a revoked key stops working in the database itself, whatever the app
-- process has cached.

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
  -- Requests per minute for this key, across the app's instances' own buckets.
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

-- Keys manage keys only from a signed-in session: an API key cannot mint or
-- revoke keys (private.is_api_request()).
create function private.is_api_request() returns boolean
language sql stable set search_path = '' as $$
  select auth.jwt() ->> 'api_key_id' is not null
$$;
grant execute on function private.is_api_request() to authenticated, service_role;

create policy api_keys_select on public.api_keys for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));
create policy api_keys_insert on public.api_keys for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}') and created_by = auth.uid() and not private.is_api_request());
create policy api_keys_update on public.api_keys for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}') and not private.is_api_request())
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy api_keys_delete on public.api_keys for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}') and not private.is_api_request());

create trigger api_keys_touch before update on public.api_keys
  for each row execute function private.touch_updated_at();
create trigger api_keys_audit after insert or update or delete on public.api_keys
  for each row execute function private.audit();

-- A revoked key stays revoked.
create function private.guard_api_key() returns trigger
language plpgsql set search_path = '' as $$
begin
  if old.revoked_at is not null and new.revoked_at is distinct from old.revoked_at then
    raise exception 'This key is already revoked' using errcode = '23514', hint = 'revoked_at';
  end if;
  return new;
end
$$;
create trigger api_keys_guard before update on public.api_keys
  for each row execute function private.guard_api_key();

-- Secrets never reach the audit log.
create or replace function private.audit_redact(row_data jsonb) returns jsonb
language sql immutable set search_path = '' as $$
  select row_data - array['token_hash', 'updated_at', 'encrypted_password', 'secret_hash', 'secret', 'previous_secret',
                          'last_used_at']
$$;

-- The caller's org and role: a signed-in member's, or for an API key the
-- member's in the key's org while the key is live.
create or replace function private.current_org_id() returns uuid
language sql stable security definer set search_path = '' as $$
  select m.org_id from public.org_members m
  where m.user_id = auth.uid()
    and (auth.jwt() ->> 'api_key_id' is null
         or exists (select 1 from public.api_keys k
                    where k.id = (auth.jwt() ->> 'api_key_id')::uuid and k.org_id = m.org_id
                      and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())))
$$;

create or replace function private.current_org_role() returns public.org_role
language sql stable security definer set search_path = '' as $$
  select m.role from public.org_members m
  where m.user_id = auth.uid()
    and (auth.jwt() ->> 'api_key_id' is null
         or exists (select 1 from public.api_keys k
                    where k.id = (auth.jwt() ->> 'api_key_id')::uuid and k.org_id = m.org_id
                      and k.revoked_at is null and (k.expires_at is null or k.expires_at > now())))
$$;

-- The audit log names API keys as such.
create or replace function private.audit() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  org_col text := coalesce(tg_argv[0], 'org_id');
  key_col text := coalesce(tg_argv[1], 'id');
  old_row jsonb := case when tg_op <> 'INSERT' then private.audit_redact(to_jsonb(old)) end;
  new_row jsonb := case when tg_op <> 'DELETE' then private.audit_redact(to_jsonb(new)) end;
  row_data jsonb := coalesce(new_row, old_row);
  diff jsonb;
  org uuid;
begin
  if tg_op = 'UPDATE' then
    select coalesce(jsonb_object_agg(n.key, jsonb_build_array(old_row -> n.key, n.value)), '{}')
      into diff
      from jsonb_each(new_row) n
      where n.value is distinct from old_row -> n.key;
    if diff = '{}' then
      return null;
    end if;
  else
    diff := row_data;
  end if;
  org := (case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end ->> org_col)::uuid;
  if tg_op = 'DELETE' and not exists (select 1 from public.orgs where id = org) then
    return null;
  end if;
  insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
  values (org, auth.uid(), private.actor_type(), tg_table_name, row_data ->> key_col, lower(tg_op), diff);
  return null;
end
$$;

-- Inserts are audited once per statement (20261121001400); those rows name API keys too.
create or replace function private.audit_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
  select i.org_id, auth.uid(), private.actor_type(), tg_table_name, i.id::text, 'insert', private.audit_redact(to_jsonb(i))
  from inserted i;
  return null;
end
$$;

-- Turns a presented token into request claims, or raises 28000. Runs as the
-- request's `authenticated` role before any claims are set; security definer
-- because the hash is not readable by that role. Marks the key used at most
-- once a minute, so a busy key does not serialise on its own row.
create function private.api_key_authenticate(token text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  k public.api_keys;
  member_role public.org_role;
begin
  if token is null or token !~ '^covey_[a-z0-9]{8}_[A-Za-z0-9_-]{20,100}$' then
    raise exception 'Malformed API key' using errcode = '28000', hint = 'malformed';
  end if;
  select * into k from public.api_keys
  where prefix = substr(token, 1, 14) and secret_hash = sha256(convert_to(token, 'UTF8'));
  if not found then
    raise exception 'Unknown API key' using errcode = '28000', hint = 'unknown';
  end if;
  if k.revoked_at is not null then
    raise exception 'This API key has been revoked' using errcode = '28000', hint = 'revoked';
  end if;
  if k.expires_at is not null and k.expires_at <= now() then
    raise exception 'This API key has expired' using errcode = '28000', hint = 'expired';
  end if;
  select m.role into member_role from public.org_members m where m.user_id = k.created_by and m.org_id = k.org_id;
  if not found then
    raise exception 'Unknown API key' using errcode = '28000', hint = 'unknown';
  end if;
  if k.last_used_at is null or k.last_used_at < now() - interval '1 minute' then
    update public.api_keys set last_used_at = now()
    where id = k.id and (last_used_at is null or last_used_at < now() - interval '1 minute');
  end if;
  return jsonb_build_object(
    'sub', k.created_by, 'role', 'authenticated', 'api_key_id', k.id, 'org_id', k.org_id,
    'scopes', to_jsonb(k.scopes), 'member_role', member_role, 'rate_limit_per_minute', k.rate_limit_per_minute,
    'key_prefix', k.prefix);
end
$$;
revoke all on function private.api_key_authenticate(text) from public;
grant execute on function private.api_key_authenticate(text) to authenticated;

-- ---------------------------------------------------------------------------
-- Idempotency keys: a repeated POST with the same Idempotency-Key returns the
-- first result. Rows are written in the request's own transaction, so a
-- request that fails leaves nothing behind and may be retried.
-- ---------------------------------------------------------------------------
create table public.api_idempotency_keys (
  org_id uuid not null references public.orgs (id) on delete cascade,
  api_key_id uuid not null,
  key text not null check (length(key) between 1 and 255),
  method text not null,
  path text not null,
  request_hash bytea not null,
  status integer,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (api_key_id, key),
  foreign key (api_key_id, org_id) references public.api_keys (id, org_id) on delete cascade
);
create index api_idempotency_keys_org_idx on public.api_idempotency_keys (org_id, created_at);
alter table public.api_idempotency_keys enable row level security;

grant select, insert, update, delete on public.api_idempotency_keys to authenticated;
grant all on public.api_idempotency_keys to service_role;

create policy api_idempotency_keys_all on public.api_idempotency_keys for all to authenticated
  using (public.is_member_of(org_id) and api_key_id = (auth.jwt() ->> 'api_key_id')::uuid)
  with check (public.is_member_of(org_id) and api_key_id = (auth.jwt() ->> 'api_key_id')::uuid);
