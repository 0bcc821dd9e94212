-- Each member's time zone: the app shows every date and time to them in it,
-- in pages, exports and email. Unset means the browser's zone, which the
-- app learns from a cookie. Only names of the IANA database Postgres knows
-- are accepted, so `at time zone` never fails on a stored zone; offsets and
-- abbreviations ("+02", "EST") are refused as ambiguous across daylight
-- saving time.

create function private.is_time_zone(zone text) returns boolean
  language sql stable
  set search_path = ''
as $$
  select zone ~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$'
    and length(zone) <= 64
    and exists (select 1 from pg_catalog.pg_timezone_names n where n.name = zone)
$$;
-- The check runs as whoever writes the profile.
grant execute on function private.is_time_zone(text) to authenticated, service_role;

alter table public.profiles
  add column time_zone text constraint profiles_time_zone_check check (time_zone is null or private.is_time_zone(time_zone));

grant update (time_zone) on public.profiles to authenticated;
