-- Outbound webhooks: endpoints an org subscribes, one delivery per endpoint
-- per domain event (fanned out in the transaction that wrote the event), and
-- every HTTP attempt. The dispatcher (supabase/functions/webhook-dispatch,
-- logic in modules/webhooks) claims due deliveries with FOR UPDATE SKIP
-- LOCKED through private.claim_webhook_deliveries and writes outcomes back
-- through private.record_webhook_attempts, both as service_role.
--
-- Production nudge (Supabase): with pg_net installed, every statement that
-- fans out deliveries POSTs to the dispatcher, and with pg_cron a schedule
-- does the same every 5 seconds for retries. Both read private.settings:
--   webhook_dispatch_url     e.g. https://<project>.supabase.co/functions/v1/webhook-dispatch
--   webhook_dispatch_secret  sent as `Authorization: Bearer <secret>`; the
--                            function's WEBHOOK_DISPATCH_SECRET must match
-- Without them (or without pg_net) nothing is sent; the embedded runtime
-- LISTENs on `covey_webhooks` instead.

-- ---------------------------------------------------------------------------
-- Endpoints
-- ---------------------------------------------------------------------------

-- Exact types (`deal.moved`), family wildcards (`person.*`) or `*` (every
-- event except `webhook.*`).
create function private.valid_webhook_event_types(types text[]) returns boolean
language sql immutable set search_path = '' as $$
  select coalesce(bool_and(t ~ '^(\*|[a-z_]{1,40}\.(\*|[a-z_]{1,60}))$'), false)
  from unnest(types) t
$$;
grant execute on function private.valid_webhook_event_types(text[]) to authenticated, service_role;

-- Standard Webhooks secret: `whsec_` + base64 of 32 random bytes.
create function private.new_webhook_secret() returns text
language sql volatile set search_path = '' as $$
  select 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64')
$$;
grant execute on function private.new_webhook_secret() to authenticated, service_role;

create table public.webhook_endpoints (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  url text not null check (length(url) <= 2000 and url ~* '^https?://[^\s/?#@]+([/?#]\S*)?$'),
  description text check (length(description) <= 500),
  event_types text[] not null
    check (cardinality(event_types) between 1 and 100 and private.valid_webhook_event_types(event_types)),
  enabled boolean not null default true,
  secret text not null default private.new_webhook_secret() check (secret ~ '^whsec_[A-Za-z0-9+/]{32,}={0,2}$'),
  -- Rotation overlap: until it expires, deliveries are signed with both.
  previous_secret text check (previous_secret ~ '^whsec_[A-Za-z0-9+/]{32,}={0,2}$'),
  previous_secret_expires_at timestamptz,
  disabled_at timestamptz,
  disabled_reason text check (disabled_reason in ('manual', 'failing')),
  -- Failed attempts since the last success; with failing_since they decide
  -- automatic disabling.
  consecutive_failures int not null default 0,
  failing_since timestamptz,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id)
);
create index webhook_endpoints_org_idx on public.webhook_endpoints (org_id, created_at);
-- The fan-out's first probe: does any org listen at all?
create index webhook_endpoints_enabled_idx on public.webhook_endpoints (org_id) where enabled;
alter table public.webhook_endpoints enable row level security;

grant select, delete on public.webhook_endpoints to authenticated;
grant insert (org_id, url, description, event_types, enabled) on public.webhook_endpoints to authenticated;
-- Secrets change only through rotate_webhook_secret (which runs as the caller).
grant update (url, description, event_types, enabled, secret, previous_secret, previous_secret_expires_at)
  on public.webhook_endpoints to authenticated;
grant select, update on public.webhook_endpoints to service_role;

create policy webhook_endpoints_select on public.webhook_endpoints for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));
create policy webhook_endpoints_insert on public.webhook_endpoints for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy webhook_endpoints_update on public.webhook_endpoints for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy webhook_endpoints_delete on public.webhook_endpoints for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- `enabled` is the one switch: turning it off records when and why (manual
-- unless the dispatcher says failing), turning it on clears the failure
-- history.
create function private.webhook_endpoint_state() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  if new.enabled and (tg_op = 'INSERT' or not old.enabled) then
    new.disabled_at := null;
    new.disabled_reason := null;
    new.consecutive_failures := 0;
    new.failing_since := null;
  elsif not new.enabled and (tg_op = 'INSERT' or old.enabled) then
    new.disabled_at := now();
    new.disabled_reason := coalesce(new.disabled_reason, 'manual');
  end if;
  return new;
end
$$;
create trigger webhook_endpoints_state before insert or update on public.webhook_endpoints
  for each row execute function private.webhook_endpoint_state();

-- private.audit_redact keeps secret and previous_secret out
-- of the audit log; rotations still show through previous_secret_expires_at.
-- The failure counters change with every failed batch; they are operational
-- state, not an edit anyone made.
create trigger webhook_endpoints_audit
  after insert or delete or update of url, description, event_types, enabled, secret
  on public.webhook_endpoints
  for each row execute function private.audit();

-- A new secret; the old one keeps verifying for `overlap`.
create function public.rotate_webhook_secret(endpoint uuid, overlap interval default '24 hours')
returns public.webhook_endpoints
language sql volatile set search_path = '' as $$
  update public.webhook_endpoints
     set previous_secret = case when overlap > interval '0' then secret end,
         previous_secret_expires_at = case when overlap > interval '0' then now() + overlap end,
         secret = private.new_webhook_secret()
   where id = endpoint
  returning *
$$;
grant execute on function public.rotate_webhook_secret(uuid, interval) to authenticated;

-- ---------------------------------------------------------------------------
-- Deliveries and attempts
-- ---------------------------------------------------------------------------
create table public.webhook_deliveries (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  endpoint_id uuid not null,
  -- The webhook-id of every attempt.
  event_id uuid not null,
  domain_event_id bigint not null references public.domain_events (id) on delete cascade,
  event_type text not null,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'dead')),
  attempts int not null default 0,
  -- Null while the endpoint is disabled (and after the last attempt), so
  -- claims never scan them.
  next_attempt_at timestamptz default now(),
  -- Set by a claim; a worker that dies leaves it to expire and the delivery
  -- is claimed again.
  locked_until timestamptz,
  last_status_code int,
  last_error text,
  created_at timestamptz not null default now(),
  delivered_at timestamptz,
  dead_at timestamptz,
  foreign key (endpoint_id, org_id) references public.webhook_endpoints (id, org_id) on delete cascade,
  unique (endpoint_id, event_id)
);
create index webhook_deliveries_due_idx on public.webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_endpoint_idx on public.webhook_deliveries (endpoint_id, created_at desc, id desc);
create index webhook_deliveries_dead_idx on public.webhook_deliveries (endpoint_id, dead_at desc, id desc)
  where status = 'dead';
create index webhook_deliveries_org_idx on public.webhook_deliveries (org_id, created_at desc);
create index webhook_deliveries_event_idx on public.webhook_deliveries (domain_event_id);
alter table public.webhook_deliveries enable row level security;

grant select on public.webhook_deliveries to authenticated;
grant select, insert, update on public.webhook_deliveries to service_role;
create policy webhook_deliveries_select on public.webhook_deliveries for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create table public.webhook_attempts (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  delivery_id bigint not null references public.webhook_deliveries (id) on delete cascade,
  endpoint_id uuid not null,
  -- Counts from 1 again after a replay.
  attempt int not null,
  started_at timestamptz not null,
  duration_ms int not null,
  status_code int,
  -- `<code>: <detail>` for a failure, null for a success. Codes: timeout,
  -- connection_reset, connection_refused, dns, tls, network, ssrf_blocked,
  -- redirect (3xx; never followed), http_error (4xx/5xx), internal.
  error text,
  -- The first 1 KB of the response body.
  response_excerpt text check (length(response_excerpt) <= 1024),
  -- When the next try is due; null after a success or the last attempt.
  next_attempt_at timestamptz,
  foreign key (endpoint_id, org_id) references public.webhook_endpoints (id, org_id) on delete cascade
);
create index webhook_attempts_delivery_idx on public.webhook_attempts (delivery_id, started_at);
create index webhook_attempts_endpoint_idx on public.webhook_attempts (endpoint_id, started_at desc);
create index webhook_attempts_org_idx on public.webhook_attempts (org_id, started_at desc);
alter table public.webhook_attempts enable row level security;

grant select on public.webhook_attempts to authenticated;
grant select, insert on public.webhook_attempts to service_role;
create policy webhook_attempts_select on public.webhook_attempts for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- ---------------------------------------------------------------------------
-- Nudging the dispatcher
-- ---------------------------------------------------------------------------

-- Production only: a POST to the dispatcher through pg_net, if installed and
-- configured (see the top of this file). Never fails the caller's write.
create function private.nudge_webhook_dispatch() returns void
language plpgsql security definer set search_path = '' as $$
declare
  url text := private.setting('webhook_dispatch_url');
  secret text := private.setting('webhook_dispatch_secret');
begin
  if url is null or url = '' or to_regproc('net.http_post') is null then
    return;
  end if;
  execute 'select net.http_post(url := $1, body := ''{}''::jsonb, headers := $2, timeout_milliseconds := 2000)'
    using url, jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || coalesce(secret, ''));
exception when others then
  raise warning 'webhook dispatch nudge failed: %', sqlerrm;
end
$$;

do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('webhook-dispatch', '5 seconds', 'select private.nudge_webhook_dispatch()');
  end if;
end
$$;

-- ---------------------------------------------------------------------------
-- Fan-out: one delivery per matching enabled endpoint, per statement
-- ---------------------------------------------------------------------------
create function private.webhook_fan_out() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  org uuid := (select i.org_id from inserted i limit 1);
begin
  -- A statement's events nearly always belong to one org, so an insert by an
  -- org without webhooks (an import's 100k events) stops at index probes.
  if not exists (select 1 from public.webhook_endpoints w where w.enabled and w.org_id = org)
     and not (exists (select 1 from public.webhook_endpoints w where w.enabled and w.org_id <> org)
              and exists (select 1 from inserted i where i.org_id <> org)) then
    return null;
  end if;
  insert into public.webhook_deliveries (org_id, endpoint_id, event_id, domain_event_id, event_type)
  select i.org_id, w.id, i.event_id, i.id, i.type
  from inserted i
  join public.webhook_endpoints w on w.org_id = i.org_id and w.enabled
  where i.type not like 'webhook.%'
    and w.event_types && array[i.type, split_part(i.type, '.', 1) || '.*', '*'];
  if found then
    perform pg_notify('covey_webhooks', '');
    perform private.nudge_webhook_dispatch();
  end if;
  return null;
end
$$;
create trigger domain_events_webhooks after insert on public.domain_events
  referencing new table as inserted for each statement execute function private.webhook_fan_out();

-- A disabled endpoint's pending deliveries wait unscheduled (out of the
-- claim scan) and become due again when it is enabled.
create function private.webhook_endpoint_toggled() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.webhook_deliveries
     set next_attempt_at = case when new.enabled then now() end
   where endpoint_id = new.id and status = 'pending';
  if new.enabled and found then
    perform pg_notify('covey_webhooks', '');
  end if;
  return null;
end
$$;
create trigger webhook_endpoints_toggled after update of enabled on public.webhook_endpoints
  for each row when (old.enabled is distinct from new.enabled)
  execute function private.webhook_endpoint_toggled();

-- ---------------------------------------------------------------------------
-- What admins can do to deliveries: a test event, replay of dead letters
-- ---------------------------------------------------------------------------

-- A `webhook.test` event for one endpoint (never fanned out to others).
-- Returns the event_id, which is the webhook-id the receiver sees.
create function public.send_webhook_test(endpoint uuid) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  e public.webhook_endpoints;
  ev_id bigint;
  ev_uuid uuid;
begin
  select * into e from public.webhook_endpoints w
   where w.id = endpoint and public.has_org_role(w.org_id, '{owner,admin}');
  if not found then
    raise exception 'Webhook endpoint not found' using errcode = 'P0002';
  end if;
  if not e.enabled then
    raise exception 'Enable the endpoint before sending a test event' using errcode = 'P0001', hint = 'enabled';
  end if;
  insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data)
  values (e.org_id, 'webhook.test', 'webhook_endpoint', e.id, auth.uid(), private.actor_type(),
          jsonb_build_object('endpoint_id', e.id, 'url', e.url))
  returning id, event_id into ev_id, ev_uuid;
  insert into public.webhook_deliveries (org_id, endpoint_id, event_id, domain_event_id, event_type)
  values (e.org_id, e.id, ev_uuid, ev_id, 'webhook.test');
  perform pg_notify('covey_webhooks', '');
  perform private.nudge_webhook_dispatch();
  return ev_uuid;
end
$$;
revoke all on function public.send_webhook_test(uuid) from public;
grant execute on function public.send_webhook_test(uuid) to authenticated;

-- Dead letters of one endpoint back to pending with a fresh retry schedule:
-- the given ids, or all of them when `deliveries` is null. Returns how many.
create function public.replay_webhook_deliveries(endpoint uuid, deliveries bigint[] default null) returns int
language plpgsql security definer set search_path = '' as $$
declare
  n int;
begin
  update public.webhook_deliveries d
     set status = 'pending', attempts = 0, dead_at = null, locked_until = null,
         next_attempt_at = case when e.enabled then now() end
    from public.webhook_endpoints e
   where e.id = endpoint and public.has_org_role(e.org_id, '{owner,admin}')
     and d.endpoint_id = e.id and d.status = 'dead'
     and (deliveries is null or d.id = any (deliveries));
  get diagnostics n = row_count;
  if n > 0 then
    perform pg_notify('covey_webhooks', '');
    perform private.nudge_webhook_dispatch();
  end if;
  return n;
end
$$;
revoke all on function public.replay_webhook_deliveries(uuid, bigint[]) from public;
grant execute on function public.replay_webhook_deliveries(uuid, bigint[]) to authenticated;

-- ---------------------------------------------------------------------------
-- The dispatcher's two statements (service_role only)
-- ---------------------------------------------------------------------------

-- Claims up to `batch` due deliveries of enabled endpoints for `lock_for`
-- and returns what is needed to send them. The attempt number is the one
-- being made.
create function private.claim_webhook_deliveries(batch int, lock_for interval)
returns table (delivery_id bigint, attempt int, endpoint_id uuid, url text, secrets text[],
               event_id uuid, event_type text, org_id uuid, occurred_at timestamptz, object_type text,
               object_id uuid, data jsonb, changes jsonb, actor_type text, actor_id uuid)
language sql volatile security definer set search_path = '' as $$
  with due as (
    select d.id
    from public.webhook_deliveries d
    join public.webhook_endpoints e on e.id = d.endpoint_id
    where d.status = 'pending' and d.next_attempt_at <= now()
      and (d.locked_until is null or d.locked_until <= now())
      and e.enabled
    order by d.next_attempt_at
    limit batch
    for update of d skip locked
  ), claimed as (
    update public.webhook_deliveries d
       set locked_until = now() + lock_for
      from due
     where d.id = due.id
    returning d.id, d.attempts, d.endpoint_id, d.domain_event_id
  )
  select c.id, c.attempts + 1, e.id, e.url,
         array_remove(array[e.secret, case when e.previous_secret_expires_at > now() then e.previous_secret end], null),
         ev.event_id, ev.type, ev.org_id, ev.occurred_at, ev.object_type, ev.object_id, ev.data, ev.changes,
         ev.actor_type, ev.actor_id
  from claimed c
  join public.webhook_endpoints e on e.id = c.endpoint_id
  join public.domain_events ev on ev.id = c.domain_event_id
$$;

-- Records a batch of attempts: `results` is a JSON array of
-- {delivery_id, attempt, started_at, duration_ms, status_code, error,
--  response_excerpt, succeeded, next_attempt_at}; a failure without
-- next_attempt_at was the last attempt (dead letter). Endpoints that keep
-- failing (at least `disable_after_failures` in a row for at least
-- `disable_after`) are disabled with an `integration.webhook_disabled` event.
-- Returns the ids of endpoints disabled now.
create function private.record_webhook_attempts(results jsonb, disable_after_failures int, disable_after interval)
returns setof uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  failing uuid[];
begin
  with r as materialized (
    select x.delivery_id, x.attempt, x.started_at, x.duration_ms, x.status_code, left(x.error, 500) as error,
           left(x.response_excerpt, 1024) as response_excerpt, x.succeeded,
           case when not x.succeeded then x.next_attempt_at end as next_attempt_at,
           not x.succeeded and x.next_attempt_at is null as last,
           -- An endpoint disabled meanwhile keeps its retries unscheduled.
           e.enabled, d.org_id, d.endpoint_id
    from jsonb_to_recordset(results) x(delivery_id bigint, attempt int, started_at timestamptz, duration_ms int,
                                       status_code int, error text, response_excerpt text, succeeded boolean,
                                       next_attempt_at timestamptz)
    -- Only the claim's own attempt counts; a late result for a delivery
    -- that was claimed again meanwhile is dropped.
    join public.webhook_deliveries d on d.id = x.delivery_id and d.status = 'pending' and d.attempts = x.attempt - 1
    join public.webhook_endpoints e on e.id = d.endpoint_id
  ), logged as (
    insert into public.webhook_attempts (org_id, delivery_id, endpoint_id, attempt, started_at, duration_ms,
                                         status_code, error, response_excerpt, next_attempt_at)
    select r.org_id, r.delivery_id, r.endpoint_id, r.attempt, r.started_at, r.duration_ms, r.status_code, r.error,
           r.response_excerpt, r.next_attempt_at
    from r
  ), delivered as (
    update public.webhook_deliveries d
       set attempts = r.attempt,
           status = case when r.succeeded then 'succeeded' when r.last then 'dead' else 'pending' end,
           next_attempt_at = case when r.enabled then r.next_attempt_at end,
           locked_until = null,
           last_status_code = r.status_code,
           last_error = r.error,
           delivered_at = case when r.succeeded then r.started_at end,
           dead_at = case when r.last then now() end
      from r
     where d.id = r.delivery_id
  ), last_ok as (
    select r.endpoint_id, max(r.started_at) filter (where r.succeeded) as at from r group by r.endpoint_id
  ), tally as (
    select r.endpoint_id,
           bool_or(r.succeeded) as any_ok,
           count(*) filter (where not r.succeeded) as fails,
           min(r.started_at) filter (where not r.succeeded) as first_fail,
           count(*) filter (where not r.succeeded and r.started_at > l.at) as fails_after_ok,
           min(r.started_at) filter (where not r.succeeded and r.started_at > l.at) as first_fail_after_ok
    from r join last_ok l on l.endpoint_id = r.endpoint_id
    group by r.endpoint_id
  ), counted as (
    -- Successes touch the endpoint row only when it had been failing, so
    -- healthy endpoints are not a point of lock contention between workers.
    update public.webhook_endpoints e
       set consecutive_failures = case when s.any_ok then s.fails_after_ok else e.consecutive_failures + s.fails end,
           failing_since = case when s.any_ok then s.first_fail_after_ok else coalesce(e.failing_since, s.first_fail) end
      from tally s
     where e.id = s.endpoint_id
       and (not s.any_ok or e.consecutive_failures > 0 or s.fails_after_ok > 0)
    returning e.id, e.consecutive_failures
  )
  select coalesce(array_agg(c.id) filter (where c.consecutive_failures > 0), '{}') into failing from counted c;

  if cardinality(failing) = 0 then
    return;
  end if;
  return query
  with disabled as (
    update public.webhook_endpoints e
       set enabled = false, disabled_reason = 'failing'
     where e.id = any (failing)
       and e.enabled
       and e.consecutive_failures >= disable_after_failures
       and e.failing_since <= now() - disable_after
    returning e.id, e.org_id, e.url, e.consecutive_failures, e.failing_since
  ), alerted as (
    insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data)
    select x.org_id, 'integration.webhook_disabled', 'webhook_endpoint', x.id, null, 'system',
           jsonb_build_object('endpoint_id', x.id, 'url', x.url, 'reason', 'failing',
                              'consecutive_failures', x.consecutive_failures, 'failing_since', x.failing_since)
    from disabled x
  )
  select x.id from disabled x;
end
$$;

revoke all on function private.claim_webhook_deliveries(int, interval) from public;
revoke all on function private.record_webhook_attempts(jsonb, int, interval) from public;
grant execute on function private.claim_webhook_deliveries(int, interval) to service_role;
grant execute on function private.record_webhook_attempts(jsonb, int, interval) to service_role;
-- How long the webhook history is kept. Every event fans out one delivery per
-- matching endpoint and every try adds an attempt row: at the dispatcher's
-- pace that is millions of rows a day, which nothing removed.
--   - Delivered: the delivery and its attempts, 30 days after delivery.
--   - Dead letters: 90 days after the last attempt, so an admin has three
--     months to replay them.
--   - Pending deliveries (retrying, or parked on a disabled endpoint) stay.
--   - Domain events: 30 days after they happened, once none of their
--     deliveries is left (nothing else reads them).
-- At most `budget` rows of each go per call, in chunks of `batch`, so a run
-- on a large backlog stays short; calls every 10 minutes (14 million rows a
-- day) catch up. Scheduled by pg_cron where it is installed, and by the
-- embedded runtime's scheduler (supabase/local/webhooks.ts).
create function private.prune_webhook_history(
  delivered_for interval default '30 days',
  dead_for interval default '90 days',
  batch int default 5000,
  budget int default 100000
)
returns table (deliveries bigint, events bigint)
language plpgsql security definer set search_path = '' as $$
declare
  delivered_before timestamptz := now() - delivered_for;
  dead_before timestamptz := now() - dead_for;
  endpoint uuid;
  n bigint;
  gone_deliveries bigint := 0;
  gone_events bigint := 0;
  after_id bigint := 0;
  ids bigint[];
  reached_recent boolean;
begin
  -- Per endpoint, on its own indexes: delivered ones by creation (a delivery
  -- is never delivered before it is created), dead letters by death.
  for endpoint in select e.id from public.webhook_endpoints e order by e.id loop
    loop
      exit when gone_deliveries >= budget;
      delete from public.webhook_deliveries d
       where d.id in (
         select x.id from public.webhook_deliveries x
          where x.endpoint_id = endpoint and x.created_at < delivered_before
            and x.status = 'succeeded' and x.delivered_at < delivered_before
          limit least(batch, budget - gone_deliveries));
      get diagnostics n = row_count;
      gone_deliveries := gone_deliveries + n;
      exit when n = 0;
    end loop;
    loop
      exit when gone_deliveries >= budget;
      delete from public.webhook_deliveries d
       where d.id in (
         select x.id from public.webhook_deliveries x
          where x.endpoint_id = endpoint and x.status = 'dead' and x.dead_at < dead_before
          limit least(batch, budget - gone_deliveries));
      get diagnostics n = row_count;
      gone_deliveries := gone_deliveries + n;
      exit when n = 0;
    end loop;
  end loop;

  -- Events in id order (the order they were written) until the chunk reaches
  -- the recent ones; an old event that still has a delivery is kept and
  -- stepped over.
  loop
    exit when gone_events >= budget;
    select array_agg(s.id order by s.id), coalesce(bool_or(s.occurred_at >= delivered_before), false)
      into ids, reached_recent
      from (select ev.id, ev.occurred_at from public.domain_events ev
             where ev.id > after_id order by ev.id limit least(batch, budget - gone_events)) s;
    exit when ids is null;
    delete from public.domain_events ev
     where ev.id = any (ids) and ev.occurred_at < delivered_before
       and not exists (select 1 from public.webhook_deliveries d where d.domain_event_id = ev.id);
    get diagnostics n = row_count;
    gone_events := gone_events + n;
    exit when reached_recent;
    after_id := ids[cardinality(ids)];
  end loop;

  return query select gone_deliveries, gone_events;
end
$$;
revoke all on function private.prune_webhook_history(interval, interval, int, int) from public;
grant execute on function private.prune_webhook_history(interval, interval, int, int) to service_role;

do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('webhook-history-prune', '*/10 * * * *', 'select private.prune_webhook_history()');
  end if;
end
$$;
