-- REST API rate limits, shared by every app instance (on Vercel each
-- function instance used to keep its own bucket, so the limit multiplied with
-- the instances). One token bucket per key: `rate_limit_per_minute` tokens,
-- refilled continuously, one per request. The app takes the token in its own
-- short transaction, committed before the request's transaction begins, so
-- concurrent requests of a busy key wait on the bucket row for microseconds,
-- not for each other's whole request. Unlogged: a bucket write then costs no
-- WAL flush, and a crash that empties the buckets only refills them.

create unlogged table private.api_rate_buckets (
  key_id uuid primary key references public.api_keys (id) on delete cascade,
  tokens double precision not null,
  updated_at timestamptz not null
);
alter table private.api_rate_buckets enable row level security;

-- Takes one request's token for the key `token` names and returns 0, or the
-- seconds until a token is back. A token that names no key returns 0: the
-- request's authentication refuses it next, with its own reason.
create function private.api_key_take_token(token text) returns int
language plpgsql volatile security definer set search_path = '' as $$
declare
  kid uuid;
  per_minute int;
  available double precision;
begin
  if token is null or length(token) not between 35 and 115 then
    return 0;
  end if;
  select k.id, k.rate_limit_per_minute into kid, per_minute from public.api_keys k
  where k.prefix = substr(token, 1, 14) and k.secret_hash = sha256(convert_to(token, 'UTF8'));
  if not found then
    return 0;
  end if;
  -- The common case is one UPDATE: a concurrent request's change to the row
  -- is seen before the condition is judged, so no token is taken twice.
  for attempt in 1..2 loop
    update private.api_rate_buckets r
       set tokens = least(per_minute, r.tokens + extract(epoch from now() - r.updated_at) * per_minute / 60.0) - 1,
           updated_at = now()
     where r.key_id = kid
       and least(per_minute, r.tokens + extract(epoch from now() - r.updated_at) * per_minute / 60.0) >= 1;
    if found then
      return 0;
    end if;
    exit when attempt = 2;
    -- No bucket yet: the key's first request makes it full, less its own token.
    insert into private.api_rate_buckets (key_id, tokens, updated_at) values (kid, per_minute - 1, now())
      on conflict do nothing;
    if found then
      return 0;
    end if;
  end loop;
  -- Refused: nothing is written, as the bucket refills from the time it was last drawn.
  select least(per_minute, r.tokens + extract(epoch from now() - r.updated_at) * per_minute / 60.0) into available
    from private.api_rate_buckets r where r.key_id = kid;
  return greatest(1, ceil((1 - available) * 60.0 / per_minute))::int;
end
$$;
revoke all on function private.api_key_take_token(text) from public;
grant execute on function private.api_key_take_token(text) to authenticated;
