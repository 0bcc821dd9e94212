-- API keys and idempotency for the REST API (/api/v1).
--
-- A key belongs to the member who created it and acts as that member, with
-- their current role, narrowed by the key's scopes (checked by the API
-- layer). Requests run as `authenticated` under RLS with claims
-- {sub: member, api_key_id, org_id, scopes}; the org comes from the key row,
-- so a revoked key stops working in the database itself, whatever the app
-- process has cached.
-- The api_keys table is created with the tenancy helpers, which read it.

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

-- Turns a presented token into request claims, or raises 28000. Runs as the
-- request's `authenticated` role before any claims are set; security definer
-- because the hash is not readable by that role. Marks the key used at most
-- once a minute, so a busy key does not serialise on its own row.
--
-- An API request checks its key once. private.api_key_authenticate has
-- already found the key's org and checked its member (and the key's
-- revocation and expiry), which is everything private.current_org_id() would
-- look up again on the request's first policy check. It leaves that
-- answer in current_org_id's per-transaction memo, keyed by
-- the claims text the caller sets: `set_config('request.jwt.claims',
-- private.api_key_authenticate(token)::text, true)`.
--
-- The token's shape is checked with an unbounded repetition and a length
-- range, not `{20,100}`: PostgreSQL's regex engine expands a bounded
-- repetition into that many states, which cost more than the key look-up.
-- lib/db/index.ts's API_TOKEN_SHAPE accepts exactly the same tokens.
create function private.api_key_authenticate(token text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  k public.api_keys;
  member_role public.org_role;
  claims jsonb;
begin
  if token is null or length(token) not between 35 and 115 or token !~ '^covey_[a-z0-9]{8}_[A-Za-z0-9_-]+$' then
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
  claims := jsonb_build_object(
    'sub', k.created_by, 'role', 'authenticated', 'api_key_id', k.id, 'org_id', k.org_id,
    'scopes', to_jsonb(k.scopes), 'member_role', member_role, 'rate_limit_per_minute', k.rate_limit_per_minute,
    'key_prefix', k.prefix);
  perform set_config('covey.current_org_for', claims::text, true), set_config('covey.current_org', k.org_id::text, true);
  return claims;
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
