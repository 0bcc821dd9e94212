-- Integration health and alerts (Settings → Integrations). Adapters record
-- each call's outcome per integration and account (a Meta page, a Twilio
-- number, a job kind) with private.record_integration_result(); what goes
-- wrong in a way someone must act on is raised with private.raise_alert(),
-- deduplicated by fingerprint, and told to the org's owners and admins in
-- their bell. Owners and admins acknowledge, snooze or resolve alerts
-- through the functions at the end, which check the role themselves.

-- ---------------------------------------------------------------------------
-- Health
-- ---------------------------------------------------------------------------

create table public.integration_health (
  org_id uuid not null references public.orgs (id) on delete cascade,
  -- meta, web_forms, twilio, gmail, webhooks, jobs, ... (labels: modules/integrations/registry.ts)
  integration text not null check (integration ~ '^[a-z][a-z0-9_]{0,39}$'),
  -- The account within it (a page id, a number); '' for the integration as a whole.
  account text not null default '' check (length(account) <= 200),
  last_success_at timestamptz,
  last_error_at timestamptz,
  last_error text check (length(last_error) <= 1000),
  updated_at timestamptz not null default now(),
  primary key (org_id, integration, account)
);
alter table public.integration_health enable row level security;

-- One row per failed call, for the 24-hour error count; kept a week.
create table public.integration_errors (
  id bigint generated always as identity primary key,
  org_id uuid not null,
  integration text not null,
  account text not null,
  error text check (length(error) <= 1000),
  occurred_at timestamptz not null default now(),
  foreign key (org_id, integration, account) references public.integration_health (org_id, integration, account)
    on delete cascade
);
create index integration_errors_account_idx on public.integration_errors (org_id, integration, account, occurred_at desc);
alter table public.integration_errors enable row level security;

grant select on public.integration_health, public.integration_errors to authenticated;
grant all on public.integration_health, public.integration_errors to service_role;
create policy integration_health_select on public.integration_health for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));
create policy integration_errors_select on public.integration_errors for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- What an adapter calls after each call to its provider (service_role only).
create function private.record_integration_result(
  org_id uuid, integration text, account text, ok boolean, error text
) returns void
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  acct text := coalesce(record_integration_result.account, '');
  excerpt text := left(record_integration_result.error, 1000);
begin
  insert into public.integration_health as h (org_id, integration, account, last_success_at, last_error_at, last_error)
  values (record_integration_result.org_id, record_integration_result.integration, acct,
          case when record_integration_result.ok then now() end,
          case when not record_integration_result.ok then now() end,
          case when not record_integration_result.ok then excerpt end)
  on conflict (org_id, integration, account) do update
    set last_success_at = coalesce(excluded.last_success_at, h.last_success_at),
        last_error_at = coalesce(excluded.last_error_at, h.last_error_at),
        last_error = coalesce(excluded.last_error, h.last_error),
        updated_at = now();
  if not record_integration_result.ok then
    insert into public.integration_errors (org_id, integration, account, error)
    values (record_integration_result.org_id, record_integration_result.integration, acct, excerpt);
    delete from public.integration_errors e
     where e.org_id = record_integration_result.org_id and e.integration = record_integration_result.integration
       and e.account = acct and e.occurred_at < now() - interval '7 days';
  end if;
end
$$;
revoke all on function private.record_integration_result(uuid, text, text, boolean, text) from public;
grant execute on function private.record_integration_result(uuid, text, text, boolean, text) to service_role;

-- ---------------------------------------------------------------------------
-- Alerts
-- ---------------------------------------------------------------------------

create table public.integration_alerts (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  integration text not null check (integration ~ '^[a-z][a-z0-9_]{0,39}$'),
  account text not null default '' check (length(account) <= 200),
  -- Names the problem (e.g. meta:token_expired:<page>): raising it again
  -- while it is not resolved counts on the same alert.
  fingerprint text not null check (length(fingerprint) between 1 and 300),
  severity text not null check (severity in ('info', 'warning', 'critical')),
  title text not null check (length(btrim(title)) between 1 and 200),
  detail text check (length(detail) <= 4000),
  first_seen timestamptz not null default now(),
  last_seen timestamptz not null default now(),
  count integer not null default 1 check (count >= 1),
  -- A snoozed alert is hidden until snoozed_until; after that it is open
  -- again (readers compare with now(); the next raise also says so).
  status text not null default 'open' check (status in ('open', 'acknowledged', 'snoozed', 'resolved')),
  snoozed_until timestamptz,
  acknowledged_by uuid references auth.users (id) on delete set null,
  acknowledged_at timestamptz,
  resolved_by uuid references auth.users (id) on delete set null,
  resolved_at timestamptz,
  constraint integration_alerts_snooze_check check ((status = 'snoozed') = (snoozed_until is not null)),
  constraint integration_alerts_resolved_check check ((status = 'resolved') = (resolved_at is not null))
);
-- One unresolved alert per fingerprint; a resolved one is history, and the
-- same problem coming back opens a new alert.
create unique index integration_alerts_fingerprint_key on public.integration_alerts (org_id, fingerprint)
  where status <> 'resolved';
create index integration_alerts_org_idx on public.integration_alerts (org_id, status, last_seen desc);
alter table public.integration_alerts enable row level security;

grant select on public.integration_alerts to authenticated;
-- Through the functions below; the trigger stamps who and when.
grant update (status, snoozed_until) on public.integration_alerts to authenticated;
grant all on public.integration_alerts to service_role;
create policy integration_alerts_select on public.integration_alerts for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));
create policy integration_alerts_update on public.integration_alerts for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}')) with check (public.has_org_role(org_id, '{owner,admin}'));

create function private.integration_alert_changed() returns trigger
language plpgsql set search_path = '' as $$
begin
  if old.status = 'resolved' and new.status <> 'resolved' then
    raise exception 'This alert is resolved; if the problem comes back, a new alert opens' using errcode = 'P0001';
  end if;
  if new.status is distinct from old.status then
    if new.status = 'acknowledged' then
      new.acknowledged_by := auth.uid();
      new.acknowledged_at := now();
    elsif new.status = 'resolved' then
      new.resolved_by := auth.uid();
      new.resolved_at := now();
    end if;
  end if;
  if new.status <> 'snoozed' then
    new.snoozed_until := null;
  end if;
  return new;
end
$$;
create trigger integration_alerts_changed before update on public.integration_alerts
  for each row execute function private.integration_alert_changed();

-- What members did to alerts (acknowledge, snooze, resolve); a raise that
-- only counts is not worth a row each time.
create trigger integration_alerts_audit after update of status on public.integration_alerts
  for each row when (old.status is distinct from new.status) execute function private.audit();

-- Raises an alert (service_role: jobs, adapters, triggers). While an alert
-- with the fingerprint is unresolved, counts on it (count, last_seen, the
-- latest severity, title and detail; a snooze that has run out ends);
-- otherwise opens a new one and notifies the org's owners and admins, once
-- per alert. Returns the alert's id.
create function private.raise_alert(
  org_id uuid, integration text, account text, fingerprint text, severity text, title text, detail text
) returns bigint
language plpgsql security definer set search_path = '' as $$
#variable_conflict use_column
declare
  alert_id bigint;
  inserted boolean;
begin
  insert into public.integration_alerts as a (org_id, integration, account, fingerprint, severity, title, detail)
  values (raise_alert.org_id, raise_alert.integration, coalesce(raise_alert.account, ''), raise_alert.fingerprint,
          raise_alert.severity, left(btrim(raise_alert.title), 200), left(raise_alert.detail, 4000))
  on conflict (org_id, fingerprint) where status <> 'resolved' do update
    set count = a.count + 1,
        last_seen = now(),
        severity = excluded.severity,
        title = excluded.title,
        detail = excluded.detail,
        status = case when a.status = 'snoozed' and a.snoozed_until <= now() then 'open' else a.status end
  returning a.id, (a.xmax = 0) into alert_id, inserted;
  if inserted then
    perform private.notify_user(raise_alert.org_id, m.user_id, 'integration_alert', left(btrim(raise_alert.title), 200),
                                left(raise_alert.detail, 2000), format('/settings/integrations#alert-%s', alert_id),
                                format('integration_alert:%s', alert_id))
      from public.org_members m
     where m.org_id = raise_alert.org_id and m.role in ('owner', 'admin');
  end if;
  return alert_id;
end
$$;
revoke all on function private.raise_alert(uuid, text, text, text, text, text, text) from public;
grant execute on function private.raise_alert(uuid, text, text, text, text, text, text) to service_role;

-- The member acts on an alert: owners and admins only. Invoker functions:
-- RLS and the column grants hold them to the caller's org as well.
create function private.require_alert_manager(alert bigint) returns void
language plpgsql set search_path = '' as $$
begin
  if not public.has_org_role(private.current_org_id(), '{owner,admin}') then
    raise exception 'Only owners and admins can act on integration alerts' using errcode = '42501';
  end if;
  if not exists (select 1 from public.integration_alerts a where a.id = alert) then
    raise exception 'Alert not found' using errcode = 'P0002';
  end if;
end
$$;
grant execute on function private.require_alert_manager(bigint) to authenticated;

create function public.acknowledge_integration_alert(alert bigint) returns void
language plpgsql set search_path = '' as $$
begin
  perform private.require_alert_manager(alert);
  update public.integration_alerts set status = 'acknowledged' where id = alert;
end
$$;

create function public.snooze_integration_alert(alert bigint, hours integer) returns timestamptz
language plpgsql set search_path = '' as $$
declare
  until timestamptz;
begin
  if hours is null or hours not between 1 and 720 then
    raise exception 'Snooze for 1 to 720 hours' using errcode = 'P0001', hint = 'hours';
  end if;
  perform private.require_alert_manager(alert);
  update public.integration_alerts set status = 'snoozed', snoozed_until = now() + make_interval(hours => hours)
   where id = alert
  returning snoozed_until into until;
  return until;
end
$$;

create function public.resolve_integration_alert(alert bigint) returns void
language plpgsql set search_path = '' as $$
begin
  perform private.require_alert_manager(alert);
  update public.integration_alerts set status = 'resolved' where id = alert and status <> 'resolved';
end
$$;

grant execute on function public.acknowledge_integration_alert(bigint) to authenticated;
grant execute on function public.snooze_integration_alert(bigint, integer) to authenticated;
grant execute on function public.resolve_integration_alert(bigint) to authenticated;

-- ---------------------------------------------------------------------------
-- Dead-lettered jobs raise an alert per org and job kind.
-- ---------------------------------------------------------------------------

create or replace function private.job_dead_lettered(job_id bigint) returns void
language plpgsql security definer set search_path = '' as $$
declare
  j record;
begin
  select id, org_id, kind, attempts, last_error into j from public.jobs where id = job_dead_lettered.job_id;
  -- Housekeeping belongs to no org: no one there to tell.
  if j.org_id is null then
    return;
  end if;
  perform private.raise_alert(
    j.org_id, 'jobs', j.kind, format('jobs:dead:%s', j.kind), 'critical',
    format('Background work failed for good: %s', j.kind),
    format('Job %s gave up after %s attempts: %s. Retry it from Settings → Jobs once the cause is fixed.',
           j.id, j.attempts, coalesce(j.last_error, 'no error was recorded'))
  );
end
$$;
