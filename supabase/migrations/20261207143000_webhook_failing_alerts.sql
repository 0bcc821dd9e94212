-- An endpoint the dispatcher turns off for sustained failure raises a
-- critical alert (Settings → Integrations, and the owners' and admins'
-- bells), beside the integration.webhook_disabled event it already sends.
-- Turning the endpoint back on resolves it: whoever re-enabled it has dealt
-- with it, and if it fails on, the dispatcher turns it off and raises anew.

create function private.webhook_endpoint_alert() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if not new.enabled and old.enabled and new.disabled_reason = 'failing' then
    perform private.raise_alert(
      new.org_id, 'webhooks', new.id::text, format('webhooks:failing:%s', new.id), 'critical',
      'A webhook endpoint was turned off after failing',
      format('%s failed %s times in a row since %s. Deliveries wait until it is turned back on in Settings → Webhooks.',
             new.url, old.consecutive_failures, old.failing_since)
    );
  elsif new.enabled and not old.enabled then
    update public.integration_alerts a
       set status = 'resolved'
     where a.org_id = new.org_id and a.fingerprint = format('webhooks:failing:%s', new.id) and a.status <> 'resolved';
  end if;
  return null;
end
$$;
revoke all on function private.webhook_endpoint_alert() from public;

create trigger webhook_endpoints_alert after update of enabled on public.webhook_endpoints
  for each row when (old.enabled is distinct from new.enabled) execute function private.webhook_endpoint_alert();
