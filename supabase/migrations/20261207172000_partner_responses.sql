-- A partner's answer to an offered lead, through the link in its email
-- (/p/{token}, no account): accept, or reject with a reason. The link is
-- the token; the database keeps only its SHA-256, set by the job that sends
-- the email (partners.deliver). An offer is answered once: the status leaves
-- `sent` and the same link is refused from then on. An offer nobody answers
-- expires (partners.expire, every minute) and, like a rejection, sends the
-- lead on by the rules: the next partner, or the next rule that takes it.
-- These functions are called as service_role by the link's page and the
-- jobs; members never reach a delivery by its token.

-- The offer's email, once: records the token's hash and when it went out,
-- and returns what the email says. Null when the offer is no longer open.
-- A retried send makes a new token, so only the latest email's link works.
create function private.partner_delivery_sending(delivery uuid, org uuid, hash bytea) returns jsonb
language sql security definer set search_path = '' as $$
  with d as (
    update public.partner_deliveries
    set token_hash = hash, notified_at = now()
    where id = delivery and org_id = org and status = 'sent' and expires_at > now()
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
revoke all on function private.partner_delivery_sending(uuid, uuid, bytea) from public;
grant execute on function private.partner_delivery_sending(uuid, uuid, bytea) to service_role;

-- What the link shows: the offer and only what the partner needs to decide
-- (first name, state, company, message, source); the contact details come
-- with acceptance. Null for a token that is no offer's.
create function private.partner_offer(hash bytea) returns jsonb
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
  where d.token_hash = hash
$$;
revoke all on function private.partner_offer(bytea) from public;
grant execute on function private.partner_offer(bytea) to service_role;

-- An offer that ended without the partner taking the lead: the rules route
-- it on; when none takes it, it is back to `new` and nobody's, to be worked
-- by hand.
create function private.partner_offer_ended(d public.partner_deliveries) returns void
language plpgsql security definer set search_path = '' as $$
declare
  partner_name text := (select p.name from public.partners p where p.id = d.partner_id);
begin
  insert into public.timeline_events (org_id, kind, actor_type, subject_type, subject_id, lead_id, data)
  values (d.org_id, 'partner_' || d.status, 'system', 'lead', d.lead_id, d.lead_id,
          jsonb_build_object('partner_id', d.partner_id, 'partner_name', partner_name, 'delivery_id', d.id,
                             'reason', d.reason));
  if d.status in ('rejected', 'expired') and private.route_lead_as_system(d.lead_id) is null then
    update public.leads set status = 'new' where id = d.lead_id and status = 'routed' and owner_id is null;
  end if;
end
$$;
revoke all on function private.partner_offer_ended(public.partner_deliveries) from public;

-- The partner's answer. `delivery` is the offer the page showed: the token
-- must be that offer's, so a link for one lead never answers for another.
-- Returns {outcome: accepted | rejected | expired | answered | unknown},
-- with the lead's contact details when accepted.
create function private.answer_partner_offer(delivery uuid, hash bytea, answer text, why text) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  d public.partner_deliveries;
  l public.leads;
begin
  if answer not in ('accepted', 'rejected') then
    raise exception 'The answer must be accepted or rejected' using errcode = '22023';
  end if;
  select * into d from public.partner_deliveries where id = delivery and token_hash = hash for update;
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
revoke all on function private.answer_partner_offer(uuid, bytea, text, text) from public;
grant execute on function private.answer_partner_offer(uuid, bytea, text, text) to service_role;

-- Offers past their time, ended and routed on; returns how many. Skips
-- offers another run (or the partner's click) holds.
create function private.expire_partner_offers() returns int
language plpgsql security definer set search_path = '' as $$
declare
  d public.partner_deliveries;
  n int := 0;
begin
  for d in
    select * from public.partner_deliveries
    where status = 'sent' and expires_at <= now()
    order by expires_at
    limit 500
    for update skip locked
  loop
    update public.partner_deliveries set status = 'expired', responded_at = now() where id = d.id returning * into d;
    perform private.partner_offer_ended(d);
    n := n + 1;
  end loop;
  return n;
end
$$;
revoke all on function private.expire_partner_offers() from public;
grant execute on function private.expire_partner_offers() to service_role;

insert into private.job_schedules (name, kind, payload, every)
values ('partners.expire', 'partners.expire', '{}', '1 minute');
