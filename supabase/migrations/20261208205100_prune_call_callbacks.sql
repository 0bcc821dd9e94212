-- Twilio's call callbacks are kept by CallSid until their call's row takes
-- them (private.call_callbacks); like the raw deliveries they came in, they
-- go after 30 days, by the same daily inbound_events.prune job.
create or replace function private.prune_inbound_events(older_than interval default '30 days') returns bigint
language sql volatile set search_path = '' as $$
  with gone as (delete from private.inbound_events where received_at < now() - older_than returning 1),
       callbacks as (delete from private.call_callbacks where received_at < now() - older_than returning 1)
  select (select count(*) from gone) + (select count(*) from callbacks)
$$;
