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
