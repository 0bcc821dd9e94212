-- The routing engine, in the database: every path a lead arrives by (a web
-- form, the Meta job under Deno, the API, an import, a member's hand) ends
-- in an INSERT into leads, so a trigger on that insert routes the lead in
-- the transaction that makes it, and no path can skip it or route twice
-- (a provider's repeated delivery, ON CONFLICT DO NOTHING, inserts nothing).
--
-- Rules are tried in order; the first that matches the lead and has someone
-- to take it wins. Round-robin takes its turn with one UPDATE … RETURNING
-- of the rule's cursor: the row lock makes concurrent leads queue for the
-- cursor, each gets its own value, so two leads at once never land on the
-- same member because of a race. A partner's capacity is counted with the
-- partner's row locked, for the same reason.
--
-- The engine acts as the system, not as whoever inserted the lead: a member
-- who adds an unowned lead may not hand it to a colleague themselves, but
-- the org's rules may. Its timeline items name the rule.

-- Null-safe throughout: a lead without the field a condition asks about
-- does not match it.
create function private.lead_routing_matches(r public.lead_routing_rules, l public.leads) returns boolean
language sql stable set search_path = '' as $$
  select coalesce(
    (cardinality(r.sources) = 0 or l.source = any (r.sources))
    and (cardinality(r.form_ids) = 0
         or coalesce(l.attribution ->> 'form_id', l.raw -> 'form' ->> 'id') = any (r.form_ids))
    and (cardinality(r.states) = 0 or upper(l.state) = any (r.states))
    and not exists (select 1 from jsonb_each_text(r.utm) c (k, v)
                    where lower(l.utm ->> c.k) is distinct from lower(c.v))
    and (r.custom_field is null
         or l.custom ->> r.custom_field = r.custom_value
         or (jsonb_typeof(l.custom -> r.custom_field) = 'array' and l.custom -> r.custom_field ? r.custom_value)),
    false)
$$;

create function private.routing_user_name(org uuid, uid uuid) returns text
language sql stable security definer set search_path = '' as $$
  select coalesce(nullif(p.full_name, ''), p.email::text) from public.profiles p where p.user_id = uid and p.org_id = org
$$;

-- Routes the lead by the org's rules; returns what was done
-- ({rule_id, rule_name, action, user_id | partner_id, delivery_id}) or null
-- when no rule took it. Skips partners this lead was already offered to, so
-- routing again after a refusal moves on to the next partner or rule.
create function private.route_lead(lead uuid) returns jsonb
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
    values (l.org_id, 'routed', 'system', 'lead', l.id, l.id, done);
    return done;
  end loop;
  return null;
end
$$;
revoke all on function private.route_lead(uuid) from public;
grant execute on function private.lead_routing_matches(public.lead_routing_rules, public.leads) to authenticated;

-- route_lead as the system: the caller's claims are set aside while it runs
-- (the owner guard and the audit log then see the org's rules acting, not
-- the member), and put back after. A failure never costs the lead: it is
-- kept unrouted with a timeline item saying so.
create function private.route_lead_as_system(lead uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  claims text := current_setting('request.jwt.claims', true);
  done jsonb;
  org uuid;
begin
  perform set_config('request.jwt.claims', '', true);
  begin
    done := private.route_lead(lead);
  exception when others then
    raise warning 'routing lead % failed: %', lead, sqlerrm;
    select org_id into org from public.leads where id = lead;
    insert into public.timeline_events (org_id, kind, actor_type, subject_type, subject_id, lead_id, data)
    values (org, 'routing_failed', 'system', 'lead', lead, lead, jsonb_build_object('error', left(sqlerrm, 300)));
    done := null;
  end;
  perform set_config('request.jwt.claims', coalesce(claims, ''), true);
  return done;
end
$$;
revoke all on function private.route_lead_as_system(uuid) from public;

create function private.route_new_lead() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.route_lead_as_system(new.id);
  return null;
end
$$;

-- A lead that arrives with an owner (a member entering their own lead) is
-- already someone's; the rules route the rest. After-row triggers fire in
-- name order, and this name sorts after leads_status_history's, so the
-- lead's history reads "new" before "routed".
create trigger leads_unowned_route after insert on public.leads
  for each row when (new.owner_id is null and new.archived_at is null) execute function private.route_new_lead();

-- "Route again" on a lead's page (managers and up): the rules run now, as
-- for a new lead, whoever owns it. Refused while a partner holds an open
-- offer for it.
create function public.route_lead_again(lead uuid) returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  org uuid;
  done jsonb;
begin
  select l.org_id into org from public.leads l where l.id = lead;
  if org is null or not public.is_member_of(org) then
    raise exception 'Lead not found' using errcode = 'P0002';
  end if;
  if not public.has_org_role(org, '{owner,admin,manager}') then
    raise exception 'Only managers, admins and owners can route a lead again' using errcode = '42501';
  end if;
  if exists (select 1 from public.partner_deliveries d where d.lead_id = lead and d.status = 'sent') then
    raise exception 'A partner has not answered for this lead yet' using errcode = '55000';
  end if;
  done := private.route_lead_as_system(lead);
  insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id, data)
  values (org, 'route_requested', auth.uid(), private.actor_type(), 'lead', lead, lead,
          jsonb_build_object('routed', done is not null));
  return done;
end
$$;
revoke all on function public.route_lead_again(uuid) from public;
grant execute on function public.route_lead_again(uuid) to authenticated;

-- Which enabled rule would match a lead like this (the settings preview):
-- `sample` holds lead columns (source, state, utm, attribution, raw,
-- custom). Read under the caller's RLS; writes nothing and takes no turn.
create function public.preview_lead_routing(sample jsonb) returns uuid
language sql stable set search_path = '' as $$
  select r.id from public.lead_routing_rules r
  where r.org_id = private.current_org_id() and r.enabled
    and private.lead_routing_matches(r, jsonb_populate_record(null::public.leads,
                                                               sample || jsonb_build_object('org_id', r.org_id)))
  order by r.position, r.created_at
  limit 1
$$;
grant execute on function public.preview_lead_routing(jsonb) to authenticated;
