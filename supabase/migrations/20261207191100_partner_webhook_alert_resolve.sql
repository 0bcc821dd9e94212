-- A partner's webhook alert (partners:webhook:<partner id>) is resolved by
-- the next offer its endpoint takes, as Meta's token alerts are by the next
-- check that works: whoever fixed the endpoint need not also close the
-- alert, and a relapse opens a new one. Otherwise as in
-- 20261207191000_partner_webhooks.sql.
create or replace function private.partner_webhook_result(delivery uuid, org uuid, ok boolean, error text, final boolean)
returns void
language plpgsql security definer set search_path = '' as $$
declare
  d public.partner_deliveries;
  partner public.partners;
begin
  select * into d from public.partner_deliveries where id = delivery and org_id = org for update;
  if not found then
    return;
  end if;
  select * into partner from public.partners where id = d.partner_id;
  perform private.record_integration_result(org, 'partners', partner.id::text, ok, error);
  if ok then
    update public.partner_deliveries set webhook_delivered_at = now() where id = d.id;
    perform private.resolve_alert(org, format('partners:webhook:%s', partner.id));
    return;
  end if;
  if not final then
    return;
  end if;
  perform private.raise_alert(
    org, 'partners', partner.id::text, format('partners:webhook:%s', partner.id), 'critical',
    format('Partner webhook failing: %s', partner.name),
    format('An offered lead could not be delivered to %s at %s: %s. %s', partner.name, partner.webhook_url,
           coalesce(error, 'no error was recorded'),
           case when d.channel = 'webhook' and d.status = 'sent' then 'The lead was routed on.'
                else 'The offer still stands by email.' end));
  if d.channel = 'webhook' and d.status = 'sent' then
    update public.partner_deliveries set status = 'failed', responded_at = now() where id = d.id returning * into d;
    perform private.partner_offer_ended(d);
  end if;
end
$$;
