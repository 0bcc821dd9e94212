-- One job queue for background work (provider fetches, sends, token checks,
-- expiries, housekeeping). Work is enqueued with private.enqueue_job, from
-- server code as service_role or from security-definer functions and
-- triggers, and run by the `jobs` Edge Function (supabase/functions/jobs,
-- logic in modules/jobs), which claims due jobs with FOR UPDATE SKIP LOCKED
-- (a claim sets `locked_until`; a worker that dies leaves it to expire),
-- runs the kind's handler and records every attempt. Failures are retried
-- with the backoff outbound webhooks use (lib/backoff.ts) and dead-lettered
-- after `max_attempts`. Recurring work is a row in private.job_schedules.
--
-- Outbound webhook deliveries keep their own table and claim
-- (20261201016000_webhooks.sql): they are fanned out per endpoint, claimed in
-- batches joined to their endpoint and event, disable failing endpoints and
-- are replayed per endpoint, which a generic job row would only hide.
--
-- Production nudge (Supabase): with pg_net installed, a transaction that
-- enqueues a due job POSTs to the function once, and with pg_cron a schedule
-- does the same every 5 seconds for retries and schedules. Both read
-- private.settings:
--   jobs_url     e.g. https://<project>.supabase.co/functions/v1/jobs
--   jobs_secret  sent as `Authorization: Bearer <secret>`; the function's
--                JOBS_SECRET must match
-- Without them nothing is sent; the embedded runtime LISTENs on `covey_jobs`.

create table public.jobs (
  id bigint generated always as identity primary key,
  -- Null for work that belongs to no organization (housekeeping); no member
  -- sees those.
  org_id uuid references public.orgs (id) on delete cascade,
  kind text not null check (kind ~ '^[a-z][a-z0-9_.-]*$' and length(kind) <= 100),
  payload jsonb not null default '{}',
  -- Unique per kind: enqueueing the same key again returns the first job.
  idempotency_key text check (length(idempotency_key) <= 500),
  -- pending: waits for run_at (first run, or a retry after a failure);
  -- running: claimed until locked_until; succeeded; dead: failed for good
  -- (max_attempts reached, or a permanent error); discarded by an admin.
  status text not null default 'pending'
    check (status in ('pending', 'running', 'succeeded', 'dead', 'discarded')),
  attempts int not null default 0,
  max_attempts int not null default 8 check (max_attempts between 1 and 100),
  run_at timestamptz not null default now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (kind, idempotency_key)
);
create index jobs_due_idx on public.jobs (run_at) where status = 'pending';
create index jobs_lease_idx on public.jobs (locked_until) where status = 'running';
create index jobs_org_idx on public.jobs (org_id, status, run_at desc);
create index jobs_finished_idx on public.jobs (finished_at) where finished_at is not null;
alter table public.jobs enable row level security;

-- Admins change jobs only through retry_job / discard_job below.
grant select on public.jobs to authenticated;
grant select, insert, update, delete on public.jobs to service_role;
create policy jobs_select on public.jobs for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create table public.job_attempts (
  id bigint generated always as identity primary key,
  job_id bigint not null references public.jobs (id) on delete cascade,
  org_id uuid references public.orgs (id) on delete cascade,
  -- Counts from 1 again after a retry from Settings → Jobs.
  attempt int not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  -- Null while running; lost: the worker's lease ran out before it reported.
  outcome text check (outcome in ('succeeded', 'failed', 'lost')),
  error text check (length(error) <= 1000)
);
create index job_attempts_job_idx on public.job_attempts (job_id, id);
create index job_attempts_org_idx on public.job_attempts (org_id, started_at desc);
alter table public.job_attempts enable row level security;

grant select on public.job_attempts to authenticated;
grant select, insert, update, delete on public.job_attempts to service_role;
create policy job_attempts_select on public.job_attempts for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- ---------------------------------------------------------------------------
-- Nudging the runner
-- ---------------------------------------------------------------------------

-- Production only: a POST to the jobs function through pg_net, if installed
-- and configured (see the top of this file). Never fails the caller's write.
create function private.nudge_jobs() returns void
language plpgsql security definer set search_path = '' as $$
declare
  url text := private.setting('jobs_url');
  secret text := private.setting('jobs_secret');
begin
  if url is null or url = '' or to_regproc('net.http_post') is null then
    return;
  end if;
  execute 'select net.http_post(url := $1, body := ''{}''::jsonb, headers := $2, timeout_milliseconds := 2000)'
    using url, jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || coalesce(secret, ''));
exception when others then
  raise warning 'jobs nudge failed: %', sqlerrm;
end
$$;
revoke all on function private.nudge_jobs() from public;
grant execute on function private.nudge_jobs() to service_role;

do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('jobs', '5 seconds', 'select private.nudge_jobs()');
  end if;
end
$$;

-- ---------------------------------------------------------------------------
-- Enqueueing
-- ---------------------------------------------------------------------------

-- Queues a job and returns its id; with an idempotency key already used for
-- this kind, returns that job's id and queues nothing. A job due now wakes
-- the runner once per transaction.
create function private.enqueue_job(
  kind text,
  payload jsonb,
  org_id uuid default null,
  idempotency_key text default null,
  run_at timestamptz default now(),
  max_attempts int default 8
) returns bigint
language plpgsql volatile security definer set search_path = '' as $$
declare
  job_id bigint;
begin
  if kind is null or payload is null then
    raise exception 'A job needs a kind and a payload' using errcode = '22004';
  end if;
  loop
    insert into public.jobs (org_id, kind, payload, idempotency_key, run_at, max_attempts)
    values (enqueue_job.org_id, enqueue_job.kind, enqueue_job.payload, enqueue_job.idempotency_key,
            coalesce(enqueue_job.run_at, now()), coalesce(enqueue_job.max_attempts, 8))
    on conflict on constraint jobs_kind_idempotency_key_key do nothing
    returning id into job_id;
    if job_id is not null then
      exit;
    end if;
    -- The conflicting job was committed before this statement began (or it
    -- is ours): read it. If its transaction rolled back instead, insert again.
    select j.id into job_id from public.jobs j
     where j.kind = enqueue_job.kind and j.idempotency_key = enqueue_job.idempotency_key;
    if job_id is not null then
      return job_id;
    end if;
  end loop;

  if coalesce(enqueue_job.run_at, now()) <= now() and current_setting('covey.jobs_nudged', true) is distinct from 'on' then
    perform set_config('covey.jobs_nudged', 'on', true);
    perform pg_notify('covey_jobs', '');
    perform private.nudge_jobs();
  end if;
  return job_id;
end
$$;
revoke all on function private.enqueue_job(text, jsonb, uuid, text, timestamptz, int) from public;
grant execute on function private.enqueue_job(text, jsonb, uuid, text, timestamptz, int) to service_role;

-- ---------------------------------------------------------------------------
-- Recurring work
-- ---------------------------------------------------------------------------

-- One row per recurring job: every `every`, a job of `kind` with `payload`
-- is queued (idempotently, keyed by name and due time). Other modules add
-- their rows in their own migrations.
create table private.job_schedules (
  name text primary key,
  kind text not null,
  payload jsonb not null default '{}',
  every interval not null check (every >= interval '1 second'),
  next_run_at timestamptz not null default now()
);
revoke all on private.job_schedules from public;
-- No org_id: schedules are the system's, not an org's. RLS is on with no
-- policy, so only service_role (which bypasses RLS) and the table's owner
-- (the security-definer functions below) reach it.
alter table private.job_schedules enable row level security;
grant select, insert, update, delete on private.job_schedules to service_role;

-- Queues the due schedules' jobs and moves each schedule to its next due
-- time after now (missed runs are not made up one by one). Returns how many
-- jobs were queued. Called by the runner before each run.
create function private.enqueue_due_job_schedules() returns int
language plpgsql volatile security definer set search_path = '' as $$
declare
  s record;
  n int := 0;
begin
  for s in
    select * from private.job_schedules where next_run_at <= now() for update skip locked
  loop
    perform private.enqueue_job(s.kind, s.payload, null, 'schedule:' || s.name || '@' || to_char(s.next_run_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), s.next_run_at);
    update private.job_schedules
       set next_run_at = s.next_run_at
             + s.every * (floor(extract(epoch from now() - s.next_run_at) / extract(epoch from s.every)) + 1)
     where name = s.name;
    n := n + 1;
  end loop;
  return n;
end
$$;
revoke all on function private.enqueue_due_job_schedules() from public;
grant execute on function private.enqueue_due_job_schedules() to service_role;

-- ---------------------------------------------------------------------------
-- Running
-- ---------------------------------------------------------------------------

-- Claims up to `batch` due jobs for `lock_for`: pending ones whose time has
-- come and running ones whose worker's lease ran out (that attempt is
-- recorded as lost). Each claim is the next attempt; a job whose lost
-- attempt was its last is dead-lettered instead of run again.
create function private.claim_jobs(batch int, lock_for interval)
returns table (id bigint, kind text, org_id uuid, payload jsonb, attempt int, max_attempts int)
language plpgsql volatile security definer set search_path = '' as $$
declare
  exhausted bigint[];
begin
  return query
  with due as (
    select j.id from public.jobs j
     where (j.status = 'pending' and j.run_at <= now())
        or (j.status = 'running' and j.locked_until <= now())
     order by j.run_at
     limit batch
     for update skip locked
  ), lost as (
    update public.job_attempts a
       set finished_at = now(), outcome = 'lost', error = 'lease expired: the worker stopped without reporting'
      from due
     where a.job_id = due.id and a.finished_at is null
  ), claimed as (
    update public.jobs j
       set status = 'running', attempts = j.attempts + 1, locked_until = now() + lock_for
      from due
     where j.id = due.id and j.attempts < j.max_attempts
    returning j.id, j.kind, j.org_id, j.payload, j.attempts, j.max_attempts
  ), started as (
    insert into public.job_attempts (job_id, org_id, attempt)
    select c.id, c.org_id, c.attempts from claimed c
  )
  select c.id, c.kind, c.org_id, c.payload, c.attempts, c.max_attempts from claimed c;

  -- Jobs whose last attempt was lost: nothing is left to try.
  with stale as (
    select j.id from public.jobs j
     where j.status = 'running' and j.locked_until <= now() and j.attempts >= j.max_attempts
     for update skip locked
  ), done as (
    update public.jobs j
       set status = 'dead', locked_until = null, finished_at = now(),
           last_error = 'lease expired: the worker stopped without reporting'
      from stale
     where j.id = stale.id
    returning j.id
  )
  select coalesce(array_agg(done.id), '{}') into exhausted from done;
  if cardinality(exhausted) > 0 then
    update public.job_attempts a
       set finished_at = now(), outcome = 'lost', error = 'lease expired: the worker stopped without reporting'
     where a.job_id = any (exhausted) and a.finished_at is null;
    perform private.job_dead_lettered(x) from unnest(exhausted) x;
  end if;
end
$$;

-- Called once for every job that is dead-lettered. Does nothing yet: it is
-- the place to raise an alert (redefine it in a later migration).
create function private.job_dead_lettered(job_id bigint) returns void
language plpgsql security definer set search_path = '' as $$
begin
end
$$;
revoke all on function private.job_dead_lettered(bigint) from public;
grant execute on function private.job_dead_lettered(bigint) to service_role;

-- Records the outcome of attempt `attempt` of a job: success, a failure to
-- retry at `retry_at`, or (retry_at null) a failure that dead-letters it.
-- A late report for a job claimed again meanwhile (its lease ran out) is
-- dropped. Returns the job's status after it.
create function private.finish_job(job_id bigint, attempt int, succeeded boolean, error text, retry_at timestamptz)
returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  new_status text;
  excerpt text := left(finish_job.error, 1000);
begin
  update public.jobs j
     set status = case when succeeded then 'succeeded' when retry_at is null then 'dead' else 'pending' end,
         run_at = case when not succeeded and retry_at is not null then retry_at else j.run_at end,
         locked_until = null,
         last_error = case when succeeded then j.last_error else excerpt end,
         finished_at = case when succeeded or retry_at is null then now() end
   where j.id = finish_job.job_id and j.status = 'running' and j.attempts = finish_job.attempt
  returning j.status into new_status;
  if new_status is null then
    return null;
  end if;
  update public.job_attempts a
     set finished_at = now(), outcome = case when succeeded then 'succeeded' else 'failed' end,
         error = case when succeeded then null else excerpt end
   where a.job_id = finish_job.job_id and a.attempt = finish_job.attempt and a.finished_at is null;
  if new_status = 'dead' then
    perform private.job_dead_lettered(finish_job.job_id);
  end if;
  return new_status;
end
$$;

revoke all on function private.claim_jobs(int, interval) from public;
revoke all on function private.finish_job(bigint, int, boolean, text, timestamptz) from public;
grant execute on function private.claim_jobs(int, interval) to service_role;
grant execute on function private.finish_job(bigint, int, boolean, text, timestamptz) to service_role;

-- ---------------------------------------------------------------------------
-- Admins: retry and discard (Settings → Jobs)
-- ---------------------------------------------------------------------------

-- A dead job, or one waiting to retry, runs again now with a fresh round of
-- attempts. Returns the job's id.
create function public.retry_job(job bigint) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  j public.jobs;
begin
  select * into j from public.jobs x
   where x.id = job and public.has_org_role(x.org_id, '{owner,admin}')
   for update;
  if not found then
    raise exception 'Job not found' using errcode = 'P0002';
  end if;
  if j.status not in ('dead', 'pending') then
    raise exception 'Only a dead or waiting job can be retried; this one is %', j.status using errcode = 'P0001';
  end if;
  update public.jobs
     set status = 'pending', attempts = 0, run_at = now(), locked_until = null, finished_at = null
   where id = j.id;
  perform pg_notify('covey_jobs', '');
  perform private.nudge_jobs();
  return j.id;
end
$$;
revoke all on function public.retry_job(bigint) from public;
grant execute on function public.retry_job(bigint) to authenticated;

-- A dead job, or one not yet run, is set aside for good.
create function public.discard_job(job bigint) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  j public.jobs;
begin
  select * into j from public.jobs x
   where x.id = job and public.has_org_role(x.org_id, '{owner,admin}')
   for update;
  if not found then
    raise exception 'Job not found' using errcode = 'P0002';
  end if;
  if j.status not in ('dead', 'pending') then
    raise exception 'Only a dead or waiting job can be discarded; this one is %', j.status using errcode = 'P0001';
  end if;
  update public.jobs
     set status = 'discarded', locked_until = null, finished_at = now()
   where id = j.id;
  return j.id;
end
$$;
revoke all on function public.discard_job(bigint) from public;
grant execute on function public.discard_job(bigint) to authenticated;

-- ---------------------------------------------------------------------------
-- Housekeeping: the jobs.prune kind
-- ---------------------------------------------------------------------------

-- Finished jobs (succeeded, dead, discarded) and their attempts go 30 days
-- after they finished, at most `budget` jobs per call. Returns how many.
create function private.prune_jobs(keep interval default '30 days', budget int default 100000) returns int
language plpgsql security definer set search_path = '' as $$
declare
  n int;
begin
  with old as (
    select id from public.jobs
     where finished_at < now() - keep and status in ('succeeded', 'dead', 'discarded')
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

insert into private.job_schedules (name, kind, payload, every) values ('jobs.prune', 'jobs.prune', '{}', '1 hour');
