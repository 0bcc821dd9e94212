-- Raw inbound webhook deliveries (Meta now; Twilio and Gmail next), stored
-- once each before any processing, so an event is never lost to a failure
-- further on and a redelivery is recognised. `dedupe_key` is what makes two
-- deliveries the same event for the provider (Meta: the SHA-256 of the
-- signed body). Bodies hold personal data: only service_role (the Edge
-- Functions) reads or writes them, and they are kept 30 days
-- (private.prune_inbound_events).
create table private.inbound_events (
  id bigint generated always as identity primary key,
  provider text not null check (provider ~ '^[a-z][a-z0-9_]{0,30}$'),
  dedupe_key text not null check (length(dedupe_key) between 1 and 200),
  body text not null,
  received_at timestamptz not null default now(),
  unique (provider, dedupe_key)
);
create index inbound_events_received_idx on private.inbound_events (received_at);
-- No org_id: an event is stored before anything knows its org. RLS is on with
-- no policy, so no member role reads it even if granted by mistake;
-- service_role (which bypasses RLS) is the only reader.
alter table private.inbound_events enable row level security;
grant select, insert, delete on private.inbound_events to service_role;

create function private.prune_inbound_events(older_than interval default '30 days') returns bigint
language sql volatile set search_path = '' as $$
  with gone as (delete from private.inbound_events where received_at < now() - older_than returning 1)
  select count(*) from gone
$$;
grant execute on function private.prune_inbound_events(interval) to service_role;
