-- Round-robin takes its turn from a sequence per rule instead of an UPDATE
-- of the rule's cursor. The UPDATE's row lock was held until the lead's
-- transaction committed, so every lead of a busy rule queued behind the one
-- before it, through its owner update, timeline, events and notification
-- (npm run bench -- meta: 27 of a lead insert's 39 ms were that wait). A
-- sequence hands out each turn once, to concurrent leads too, and takes no
-- lock, so two leads at once still never land on the same member because
-- of a race. A lead whose transaction rolls back spends its turn, as any
-- sequence value is spent: its member waits one more lead for their next.
--
-- The sequence, private.routing_turns_<rule id>, is made with the rule and
-- dropped with it. A member's assigned_count is now counted last in the
-- routing: its row lock also lasts until the commit, and for a rule that
-- assigns to one user it made each lead wait for the whole routing of the
-- one before, not only for its commit.

create function private.routing_turn_sequence(rule uuid) returns text
language sql immutable set search_path = '' as $$
  select 'private.' || quote_ident('routing_turns_' || replace(rule::text, '-', ''))
$$;
revoke all on function private.routing_turn_sequence(uuid) from public;

-- Each rule has its sequence from its creation, so routing a lead never
-- runs DDL (a sequence made by one lead's transaction would make every
-- concurrent lead wait for its commit). Made for every action: a rule may
-- become round-robin later.
create function private.create_routing_turns() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  execute format('create sequence if not exists %s start with %s', private.routing_turn_sequence(new.id), new.rr_cursor + 1);
  execute format('revoke all on sequence %s from public', private.routing_turn_sequence(new.id));
  return null;
end
$$;
revoke all on function private.create_routing_turns() from public;

create function private.drop_routing_turns() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  execute format('drop sequence if exists %s', private.routing_turn_sequence(old.id));
  return null;
end
$$;
revoke all on function private.drop_routing_turns() from public;

create trigger lead_routing_rules_create_turns after insert on public.lead_routing_rules
  for each row execute function private.create_routing_turns();
create trigger lead_routing_rules_drop_turns after delete on public.lead_routing_rules
  for each row execute function private.drop_routing_turns();

-- The rules made before this migration, each from where its cursor stood.
do $$
declare
  r record;
begin
  for r in select id, rr_cursor from public.lead_routing_rules loop
    execute format('create sequence %s start with %s', private.routing_turn_sequence(r.id), r.rr_cursor + 1);
    execute format('revoke all on sequence %s from public', private.routing_turn_sequence(r.id));
  end loop;
end
$$;

create function private.routing_turn(rule uuid) returns bigint
language sql security definer set search_path = '' as $$
  select nextval(private.routing_turn_sequence(rule)::regclass)
$$;
revoke all on function private.routing_turn(uuid) from public;

-- The engine as 20261207173000 left it, with the turn from the sequence and
-- the member's count last.
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
      turn := private.routing_turn(r.id);
    else
      turn := 1;
    end if;
    select count(*) into n from public.routing_rule_members where rule_id = r.id and user_id is not null;
    continue when n = 0;
    select m.user_id into member from public.routing_rule_members m
    where m.rule_id = r.id and m.user_id is not null
    order by m.position, m.id
    offset (turn - 1) % n limit 1;
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
    -- Last: the member's row stays locked until the lead's transaction
    -- commits, and every lead for this member waits for that lock.
    update public.routing_rule_members set assigned_count = assigned_count + 1, last_assigned_at = now()
    where rule_id = r.id and user_id = member;
    return done;
  end loop;
  return null;
end
$$;
