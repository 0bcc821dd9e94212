-- Succeeded jobs go after a week, not a month: a schedule that runs every
-- minute leaves 1,440 of them a day, and Settings → Jobs shows the last 7
-- days of succeeded ones. Discarded jobs go after the same week. Dead jobs
-- stay until an admin retries or discards them, since they are what the
-- Jobs page is for. Attempts go with their job (on delete cascade).
drop function private.prune_jobs(interval, int);

create function private.prune_jobs(keep interval default '7 days', budget int default 100000) returns int
language plpgsql security definer set search_path = '' as $$
declare
  n int;
begin
  with old as (
    select id from public.jobs
     where finished_at < now() - keep and status in ('succeeded', 'discarded')
     order by finished_at
     limit budget
  )
  delete from public.jobs j using old where j.id = old.id;
  get diagnostics n = row_count;
  return n;
end
$$;
revoke all on function private.prune_jobs(interval, int) from public;
grant execute on function private.prune_jobs(interval, int) to service_role;
