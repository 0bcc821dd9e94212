-- The webhook history is pruned by the job queue: a schedule runs the
-- webhooks.prune_history job (modules/webhooks/prune-job.ts) every 10
-- minutes, in production and in the embedded runtime alike, instead of a
-- pg_cron entry of its own in production and a timer in the embedded one.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    execute 'select cron.unschedule(jobid) from cron.job where jobname = $1' using 'webhook-history-prune';
  end if;
end
$$;

insert into private.job_schedules (name, kind, payload, every)
values ('webhooks.prune_history', 'webhooks.prune_history', '{}', '10 minutes');
