-- Reminders of a deal's important dates: on the reminder day (the date less
-- its remind_days_before) in the recipient's own zone, the deal's owner
-- (else whoever added the date) gets a notification in the bell and the same
-- words by email, once per date and reminder day.
--
-- The queue's hourly `deal_dates.remind` job calls private.send_date_reminders:
-- hourly because each member's day starts at their own midnight, and a daily
-- run at one UTC hour would remind a member in Auckland or Honolulu a day
-- early or late. A date whose reminder day passed while nobody ran the job
-- (created late, the queue down) is reminded of on the next run, up to the
-- date itself; archived deals are not reminded of.

do $$
declare
  notices text[] := private.notification_types();
begin
  notices := notices || array(select t from unnest(array['date_reminder']) t where not t = any (notices));
  execute format('create or replace function private.notification_types() returns text[] language sql immutable parallel safe return %L::text[]', notices);
end
$$;

-- `at` is the clock: now() when the job runs on schedule, a given time in
-- tests. Answers how many reminders it made. Marking the date (reminded_for)
-- is the claim: a concurrent run waits on the row, then finds it marked.
create function private.send_date_reminders(at timestamptz default now()) returns integer
language plpgsql security definer set search_path = '' as $$
declare
  r record;
  made integer := 0;
  notification bigint;
  utc_day date := (send_date_reminders.at at time zone 'UTC')::date;
begin
  for r in
    with due as (
      select dd.id, dd.org_id, dd.deal_id, dd.kind, dd.date, dd.note, d.name as deal_name,
             dd.date - dd.remind_days_before as remind_on,
             coalesce(d.owner_id, dd.created_by) as recipient,
             (send_date_reminders.at at time zone coalesce(p.time_zone, 'UTC'))::date as today
        from public.deal_dates dd
        join public.deals d on d.id = dd.deal_id and d.archived_at is null
        left join public.profiles p on p.user_id = coalesce(d.owner_id, dd.created_by) and p.org_id = dd.org_id
       -- Every zone's today is within a day of UTC's.
       where dd.remind_days_before is not null
         and dd.date between utc_day - 1 and utc_day + 367
    )
    update public.deal_dates dd set reminded_for = due.remind_on
      from due
     where dd.id = due.id
       and due.remind_on <= due.today and due.date >= due.today
       and dd.reminded_for is distinct from due.remind_on
    returning due.*
  loop
    made := made + 1;
    continue when r.recipient is null;
    notification := private.notify_user(
      r.org_id, r.recipient, 'date_reminder',
      r.kind || ' ' || case r.date - r.today when 0 then 'today' when 1 then 'tomorrow'
                                             else 'in ' || (r.date - r.today) || ' days' end
        || ': ' || r.deal_name,
      to_char(r.date, 'FMDay, FMMonth FMDD, YYYY') || coalesce(E'\n' || nullif(btrim(r.note), ''), ''),
      '/deals/' || r.deal_id,
      'deal_date:' || r.id || ':' || r.remind_on);
    -- The email says what the bell says; a member who turned the type off gets neither.
    if notification is not null then
      perform private.enqueue_job('deal_dates.email_reminder', jsonb_build_object('notification_id', notification),
                                  r.org_id, 'deal-date-reminder:' || notification);
    end if;
  end loop;
  return made;
end
$$;
revoke all on function private.send_date_reminders(timestamptz) from public;
grant execute on function private.send_date_reminders(timestamptz) to service_role;

insert into private.job_schedules (name, kind, payload, every)
values ('deal_dates.remind', 'deal_dates.remind', '{}', '1 hour')
on conflict (name) do nothing;
