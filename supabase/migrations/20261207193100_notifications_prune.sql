-- Read notifications go after 90 days, once a day through the job queue
-- (notifications.prune): the bell and /notifications page by recency, and
-- a read one that old is no longer news. Unread ones stay until read.
create index notifications_read_created_idx on public.notifications (created_at) where read_at is not null;

create function private.prune_notifications(keep interval default '90 days', budget int default 100000) returns int
language plpgsql security definer set search_path = '' as $$
declare
  n int;
begin
  with old as (
    select id from public.notifications
     where read_at is not null and created_at < now() - keep
     order by created_at
     limit budget
  )
  delete from public.notifications x using old where x.id = old.id;
  get diagnostics n = row_count;
  return n;
end
$$;
revoke all on function private.prune_notifications(interval, int) from public;
grant execute on function private.prune_notifications(interval, int) to service_role;

insert into private.job_schedules (name, kind, payload, every)
values ('notifications.prune', 'notifications.prune', '{}', '1 day');
