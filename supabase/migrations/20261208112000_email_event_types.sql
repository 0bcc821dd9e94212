-- Email's webhook events and its notification type. The lists are extended
-- with what they already hold, not restated, so this file composes with
-- any other migration that adds its own types.
do $$
declare
  events text[] := private.domain_event_types();
  notices text[] := private.notification_types();
begin
  events := events || array(select t from unnest(array['email.sent', 'email.failed', 'email.received']) t where not t = any (events));
  notices := notices || array(select t from unnest(array['email_received']) t where not t = any (notices));
  execute format('create or replace function private.domain_event_types() returns text[] language sql immutable parallel safe return %L::text[]', events);
  execute format('create or replace function private.notification_types() returns text[] language sql immutable parallel safe return %L::text[]', notices);
end
$$;
