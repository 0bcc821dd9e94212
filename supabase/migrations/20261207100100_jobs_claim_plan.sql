-- private.claim_jobs looked for due and lease-expired jobs in one condition
-- (`pending and due or running and expired`), which no index serves: every
-- claim read and sorted the whole table. Each kind of candidate now comes
-- from its own partial index (jobs_due_idx, jobs_lease_idx); the function
-- does the same otherwise.
create or replace function private.claim_jobs(batch int, lock_for interval)
returns table (id bigint, kind text, org_id uuid, payload jsonb, attempt int, max_attempts int)
language plpgsql volatile security definer set search_path = '' as $$
declare
  exhausted bigint[];
begin
  return query
  with due_pending as (
    select j.id, j.run_at from public.jobs j
     where j.status = 'pending' and j.run_at <= now()
     order by j.run_at
     limit batch
     for update skip locked
  ), due_expired as (
    select j.id, j.run_at from public.jobs j
     where j.status = 'running' and j.locked_until <= now()
     order by j.locked_until
     limit batch
     for update skip locked
  ), due as (
    select d.id from (select * from due_expired union all select * from due_pending) d
     order by d.run_at
     limit batch
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
