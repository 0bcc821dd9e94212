-- A partner's delivery channel: email (the link in a message), a signed
-- webhook (the offer POSTed as JSON to the partner's URL, signed as Covey's
-- outbound webhooks are, with the accept/reject URLs inside), or both.
--
-- The webhook's signing secret is an org secret (public.org_secrets, sealed
-- by the app, purpose `partners.webhook_secret:<partner id>`): members never
-- read it back; the app shows it once when it is made or rotated.
--
-- Each offer is sent on the channels its partner had when it was made
-- (partner_deliveries.channel). The job `partners.webhook` POSTs it, retried
-- on the queue's backoff. The webhook's link token is derived from the
-- signing secret and the offer (see modules/routing/token.ts), so every
-- retry carries the same URLs and a partner that deduplicates by webhook-id
-- keeps a link that works. A partner endpoint that fails is recorded in
-- integration health at each attempt; after the last one an alert is raised
-- and, when the webhook was the offer's only channel, the offer ends as
-- `failed` and the lead is routed on as an expiry would.

alter table public.partners
  add column channel text not null default 'email' check (channel in ('email', 'webhook', 'both')),
  add column webhook_url text check (length(webhook_url) <= 2000 and webhook_url ~* '^https?://[^\s/?#@]+([/?#]\S*)?$'),
  add constraint partners_webhook_url_needed check (channel = 'email' or webhook_url is not null);
grant insert (channel, webhook_url) on public.partners to authenticated;
grant update (channel, webhook_url) on public.partners to authenticated;

alter table public.partner_deliveries
  drop constraint partner_deliveries_channel_check,
  add constraint partner_deliveries_channel_check check (channel in ('email', 'webhook', 'both')),
  drop constraint partner_deliveries_status_check,
  add constraint partner_deliveries_status_check check (status in ('sent', 'accepted', 'rejected', 'expired', 'failed')),
  -- SHA-256 of the webhook's link token; token_hash stays the email's.
  add column webhook_token_hash bytea unique check (length(webhook_token_hash) = 32),
  -- When the partner's endpoint acknowledged the offer (2xx).
  add column webhook_delivered_at timestamptz;
grant select (webhook_delivered_at) on public.partner_deliveries to authenticated;

-- The offer takes its partner's channel at the moment it is made.
create function private.partner_delivery_channel() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.channel := (select p.channel from public.partners p where p.id = new.partner_id);
  return new;
end
$$;
create trigger partner_deliveries_channel before insert on public.partner_deliveries
  for each row execute function private.partner_delivery_channel();

-- Five attempts (about 10 minutes on the queue's backoff): a lead should not
-- wait hours on an endpoint that is down when the next partner could take it.
create function private.partner_delivery_webhook_job() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.enqueue_job('partners.webhook', jsonb_build_object('delivery_id', new.id), new.org_id,
                              'partner-webhook:' || new.id, now(), 5);
  return null;
end
$$;
create trigger partner_deliveries_webhook after insert on public.partner_deliveries
  for each row when (new.channel in ('webhook', 'both')) execute function private.partner_delivery_webhook_job();

-- The secret is the partner's: it goes when the partner goes.
create function private.partner_secret_cleanup() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.org_secrets s where s.org_id = old.org_id and s.purpose = 'partners.webhook_secret:' || old.id;
  return null;
end
$$;
create trigger partners_secret_cleanup after delete on public.partners
  for each row execute function private.partner_secret_cleanup();

-- The email of an offer, once (as before), now only for offers that go by
-- email: a webhook-only offer's partners.deliver job finds nothing to send.
create or replace function private.partner_delivery_sending(delivery uuid, org uuid, hash bytea) returns jsonb
language sql security definer set search_path = '' as $$
  with d as (
    update public.partner_deliveries
    set token_hash = hash, notified_at = now()
    where id = delivery and org_id = org and status = 'sent' and expires_at > now() and channel in ('email', 'both')
    returning *
  )
  select jsonb_build_object(
    'delivery_id', d.id, 'expires_at', d.expires_at,
    'partner_name', p.name, 'partner_email', p.contact_email::text,
    'org_name', o.name,
    'lead_state', l.state, 'lead_source', coalesce(s.label, l.source))
  from d
  join public.partners p on p.id = d.partner_id
  join public.orgs o on o.id = d.org_id
  join public.leads l on l.id = d.lead_id
  left join public.lead_sources s on s.org_id = l.org_id and s.key = l.source
$$;

-- The webhook of an offer: records the link token's hash and returns what
-- the POST carries (what the link's page shows before an answer), with the
-- partner's URL. Null when the offer is no longer open or no longer goes by
-- webhook.
create function private.partner_webhook_sending(delivery uuid, org uuid, hash bytea) returns jsonb
language sql security definer set search_path = '' as $$
  with d as (
    update public.partner_deliveries
    set webhook_token_hash = hash
    where id = delivery and org_id = org and status = 'sent' and expires_at > now() and channel in ('webhook', 'both')
    returning *
  )
  select jsonb_build_object(
    'delivery_id', d.id, 'created_at', d.created_at, 'expires_at', d.expires_at,
    'partner_id', p.id, 'partner_name', p.name, 'webhook_url', p.webhook_url,
    'org_name', o.name,
    'lead', jsonb_build_object('first_name', l.first_name, 'state', l.state, 'company_name', l.company_name,
                               'message', l.message, 'source', coalesce(s.label, l.source),
                               'received_at', l.created_at))
  from d
  join public.partners p on p.id = d.partner_id and p.webhook_url is not null
  join public.orgs o on o.id = d.org_id
  join public.leads l on l.id = d.lead_id
  left join public.lead_sources s on s.org_id = l.org_id and s.key = l.source
$$;
revoke all on function private.partner_webhook_sending(uuid, uuid, bytea) from public;
grant execute on function private.partner_webhook_sending(uuid, uuid, bytea) to service_role;

-- What the link shows, for either channel's token.
create or replace function private.partner_offer(hash bytea) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'delivery_id', d.id, 'status', d.status, 'expires_at', d.expires_at,
    'expired', d.status = 'sent' and d.expires_at <= now(),
    'partner_name', p.name, 'org_name', o.name,
    'lead', jsonb_build_object('first_name', l.first_name, 'state', l.state, 'company_name', l.company_name,
                               'message', l.message, 'source', coalesce(s.label, l.source),
                               'received_at', l.created_at))
  from public.partner_deliveries d
  join public.partners p on p.id = d.partner_id
  join public.orgs o on o.id = d.org_id
  join public.leads l on l.id = d.lead_id
  left join public.lead_sources s on s.org_id = l.org_id and s.key = l.source
  where d.token_hash = hash or d.webhook_token_hash = hash
$$;

-- The partner's answer, by either channel's token (see 20261207172000).
create or replace function private.answer_partner_offer(delivery uuid, hash bytea, answer text, why text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  d public.partner_deliveries;
  l public.leads;
begin
  if answer not in ('accepted', 'rejected') then
    raise exception 'The answer must be accepted or rejected' using errcode = '22023';
  end if;
  select * into d from public.partner_deliveries
  where id = delivery and (token_hash = hash or webhook_token_hash = hash) for update;
  if not found then
    return jsonb_build_object('outcome', 'unknown');
  end if;
  if d.status <> 'sent' then
    return jsonb_build_object('outcome', 'answered', 'status', d.status);
  end if;
  if d.expires_at <= now() then
    update public.partner_deliveries set status = 'expired', responded_at = now() where id = d.id returning * into d;
    perform private.partner_offer_ended(d);
    return jsonb_build_object('outcome', 'expired');
  end if;
  update public.partner_deliveries
  set status = answer, responded_at = now(),
      reason = case when answer = 'rejected' then nullif(left(btrim(why), 1000), '') end
  where id = d.id
  returning * into d;
  perform private.partner_offer_ended(d);
  if answer = 'rejected' then
    return jsonb_build_object('outcome', 'rejected');
  end if;
  select * into l from public.leads where id = d.lead_id;
  return jsonb_build_object('outcome', 'accepted',
                            'lead', jsonb_build_object('name', l.full_name, 'email', l.email::text, 'phone', l.phone,
                                                       'state', l.state, 'company_name', l.company_name,
                                                       'message', l.message));
end
$$;

-- An offer that ended (see 20261207173000): a `failed` one (the partner could
-- not be reached) routes the lead on like a refusal or an expiry.
create or replace function private.partner_offer_ended(d public.partner_deliveries) returns void
language plpgsql security definer set search_path = '' as $$
declare
  partner_name text := (select p.name from public.partners p where p.id = d.partner_id);
  l public.leads := (select x from public.leads x where x.id = d.lead_id);
begin
  insert into public.timeline_events (org_id, kind, actor_type, subject_type, subject_id, lead_id, data)
  values (d.org_id, 'partner_' || d.status, 'system', 'lead', d.lead_id, d.lead_id,
          jsonb_build_object('partner_id', d.partner_id, 'partner_name', partner_name, 'delivery_id', d.id,
                             'reason', d.reason));
  perform private.notify_user(d.org_id, m.user_id, 'partner_responded',
                              partner_name || case d.status when 'accepted' then ' accepted '
                                                            when 'rejected' then ' declined '
                                                            when 'failed' then ' could not be reached for '
                                                            else ' did not answer for ' end
                                || private.routing_lead_name(l),
                              case when d.status = 'rejected' and d.reason is not null then 'Reason: ' || d.reason end,
                              '/leads/' || d.lead_id, 'partner-responded:' || d.id)
  from public.org_members m
  where m.org_id = d.org_id and (m.user_id = l.owner_id or m.role in ('owner', 'admin'));
  if d.status in ('rejected', 'expired', 'failed') and private.route_lead_as_system(d.lead_id) is null then
    update public.leads set status = 'new' where id = d.lead_id and status = 'routed' and owner_id is null;
  end if;
end
$$;

-- The outcome of one POST of an offer to its partner (service_role: the
-- partners.webhook job). Health is kept per partner (account = partner id).
-- `final`: the last attempt failed; the partner's alert is raised and a
-- webhook-only offer ends as failed, routing the lead on.
create function private.partner_webhook_result(delivery uuid, org uuid, ok boolean, error text, final boolean)
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
revoke all on function private.partner_webhook_result(uuid, uuid, boolean, text, boolean) from public;
grant execute on function private.partner_webhook_result(uuid, uuid, boolean, text, boolean) to service_role;
