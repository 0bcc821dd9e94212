-- An API request checks its key once. private.api_key_authenticate has
-- already found the key's org and checked its member (and the key's
-- revocation and expiry), which is everything private.current_org_id() would
-- look up again on the request's first policy check. It now leaves that
-- answer in current_org_id's per-transaction memo (20261121009300), keyed by
-- the claims text the caller sets: `set_config('request.jwt.claims',
-- private.api_key_authenticate(token)::text, true)`.
--
-- The token's shape is checked with an unbounded repetition and a length
-- range instead of `{20,100}`: PostgreSQL's regex engine expands a bounded
-- repetition into that many states, which cost more than the key look-up.
-- lib/db/index.ts's API_TOKEN_SHAPE accepts exactly the same tokens.

create or replace function private.api_key_authenticate(token text) returns jsonb
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
