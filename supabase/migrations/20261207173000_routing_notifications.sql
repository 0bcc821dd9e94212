-- Routing tells people: the member a rule gives a lead to gets a
-- `lead_assigned` notification, and a partner's answer (or its silence
-- until the offer expired) reaches the lead's owner and the org's owners and
-- admins as `partner_responded`. Each once: keyed by the timeline item or
-- the offer. The engine and the end of an offer are redefined with the
-- notify_user calls (private.notify_user skips whoever turned a type off).

create function private.routing_lead_name(l public.leads) returns text
language sql stable set search_path = '' as $$
  select coalesce(nullif(l.full_name, ''), l.email::text, l.phone, 'a lead')
$$;

-- Routes the lead by the org's rules; returns what was done
-- ({rule_id, rule_name, action, user_id | partner_id, delivery_id}) or null
-- when no rule took it. Skips partners this lead was already offered to, so
-- routing again after a refusal moves on to the next partner or rule.
create or replace function private.route_lead(lead uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  l public.leads;
  r public.lead_routing_rules;
  p public.partners;
  member uuid;
  n int;
  turn bigint;
  delivery uuid;
  done jsonb;
  item bigint;
begin
  select * into l from public.leads where id = lead for update;
  if not found or l.archived_at is not null or l.converted_at is not null then
    return null;
  end if;
  for r in
    select * from public.lead_routing_rules where org_id = l.org_id and enabled order by position, created_at
  loop
    continue when not private.lead_routing_matches(r, l);
    if r.action = 'partner' then
      for p in
        select pa.* from public.routing_rule_members m join public.partners pa on pa.id = m.partner_id
        where m.rule_id = r.id and pa.active
          and (cardinality(pa.states) = 0 or upper(l.state) = any (pa.states))
          and not exists (select 1 from public.partner_deliveries d where d.lead_id = l.id and d.partner_id = pa.id)
        order by m.position
      loop
        perform 1 from public.partners where id = p.id for update;
        continue when p.capacity_per_day is not null
          and (select count(*) from public.partner_deliveries d
               where d.partner_id = p.id and d.created_at > now() - interval '1 day') >= p.capacity_per_day;
        continue when p.capacity_per_week is not null
          and (select count(*) from public.partner_deliveries d
               where d.partner_id = p.id and d.created_at > now() - interval '7 days') >= p.capacity_per_week;
        insert into public.partner_deliveries (org_id, lead_id, partner_id, rule_id, expires_at)
        values (l.org_id, l.id, p.id, r.id, now() + make_interval(hours => p.response_hours))
        returning id into delivery;
        update public.routing_rule_members set assigned_count = assigned_count + 1, last_assigned_at = now()
        where rule_id = r.id and partner_id = p.id;
        update public.leads set status = 'routed' where id = l.id and status = 'new';
        perform private.enqueue_job('partners.deliver', jsonb_build_object('delivery_id', delivery), l.org_id,
                                    'partner-delivery:' || delivery);
        done := jsonb_build_object('rule_id', r.id, 'rule_name', r.name, 'action', r.action,
                                   'partner_id', p.id, 'partner_name', p.name, 'delivery_id', delivery);
        insert into public.timeline_events (org_id, kind, actor_type, subject_type, subject_id, lead_id, data)
        values (l.org_id, 'routed', 'system', 'lead', l.id, l.id, done);
        return done;
      end loop;
      continue;
    end if;

    if r.action = 'round_robin' then
      update public.lead_routing_rules set rr_cursor = rr_cursor + 1 where id = r.id returning rr_cursor into turn;
    else
      turn := 1;
    end if;
    select count(*) into n from public.routing_rule_members where rule_id = r.id and user_id is not null;
    continue when n = 0;
    select m.user_id into member from public.routing_rule_members m
    where m.rule_id = r.id and m.user_id is not null
    order by m.position, m.id
    offset (turn - 1) % n limit 1;
    update public.routing_rule_members set assigned_count = assigned_count + 1, last_assigned_at = now()
    where rule_id = r.id and user_id = member;
    update public.leads set owner_id = member, status = case when status = 'new' then 'routed' else status end
    where id = l.id;
    done := jsonb_build_object('rule_id', r.id, 'rule_name', r.name, 'action', r.action,
                               'user_id', member, 'user_name', private.routing_user_name(l.org_id, member));
    insert into public.timeline_events (org_id, kind, actor_type, subject_type, subject_id, lead_id, data)
    values (l.org_id, 'routed', 'system', 'lead', l.id, l.id, done)
    returning id into item;
    perform private.notify_user(l.org_id, member, 'lead_assigned',
                                'New lead: ' || private.routing_lead_name(l),
                                'Routed to you by the rule "' || r.name || '".',
                                '/leads/' || l.id, 'lead-routed:' || item);
    return done;
  end loop;
  return null;
end
$$;

-- An offer that ended: its timeline item and who is told; unless the
-- partner took the lead, the rules route it on, and when none takes it, it
-- is back to `new` and nobody's, to be worked by hand.
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
                                                            else ' did not answer for ' end
                                || private.routing_lead_name(l),
                              case when d.status = 'rejected' and d.reason is not null then 'Reason: ' || d.reason end,
                              '/leads/' || d.lead_id, 'partner-responded:' || d.id)
  from public.org_members m
  where m.org_id = d.org_id and (m.user_id = l.owner_id or m.role in ('owner', 'admin'));
  if d.status in ('rejected', 'expired') and private.route_lead_as_system(d.lead_id) is null then
    update public.leads set status = 'new' where id = d.lead_id and status = 'routed' and owner_id is null;
  end if;
end
$$;
