-- Fixed-window rate limiting shared by every app instance (sign-in per IP and
-- per email, later webhooks and API keys). Not tenant data: no org_id, and
-- only reachable through the function below.

create table private.rate_limits (
  key text not null,
  window_start timestamptz not null,
  hits int not null default 0,
  primary key (key, window_start)
);
alter table private.rate_limits enable row level security;

-- Counts one hit for `bucket` and returns the seconds to wait, or 0 when
-- the hit is within `max_hits` per `window_seconds`.
create function private.rate_limit_hit(bucket text, max_hits int, window_seconds int) returns int
language plpgsql security definer set search_path = '' as $$
declare
  win timestamptz := to_timestamp(floor(extract(epoch from now()) / window_seconds) * window_seconds);
  n int;
begin
  insert into private.rate_limits as r (key, window_start, hits) values (bucket, win, 1)
    on conflict (key, window_start) do update set hits = r.hits + 1
    returning hits into n;
  -- Old windows are cleared opportunistically.
  if random() < 0.01 then
    delete from private.rate_limits where window_start < now() - interval '1 day';
  end if;
  if n <= max_hits then
    return 0;
  end if;
  return greatest(1, ceil(extract(epoch from (win + make_interval(secs => window_seconds) - now())))::int);
end
$$;
revoke all on function private.rate_limit_hit(text, int, int) from public;
grant execute on function private.rate_limit_hit(text, int, int) to service_role;

-- The app's login role (Supabase's "authenticator" pattern): no table
-- privileges of its own, it can only become authenticated or service_role.
do $$
begin
  if not exists (select from pg_roles where rolname = 'covey_app') then
    create role covey_app login noinherit;
  end if;
end
$$;
grant authenticated, service_role to covey_app;
