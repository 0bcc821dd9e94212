-- Handoffs: a deal entering a handoff stage is submitted to the receiving
-- side; leaving it for the accept stage accepts it (the accepter becomes the
-- owner), for the deny stage denies it (a reason is required, the submitter
-- owns it again), for any other stage withdraws it. Because it all happens
-- on the deal's stage change, the board, the handoff queue, the REST API
-- and direct SQL as a member behave alike. Every submission stays, with its
-- decision: a denied deal may be submitted again.

create table public.deal_handoffs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  deal_id uuid not null,
  stage_id uuid,
  from_stage_id uuid,
  submitted_by uuid,
  submitted_at timestamptz not null default now(),
  decision text check (decision in ('accepted', 'denied', 'withdrawn')),
  decided_by uuid,
  decided_at timestamptz,
  reason text check (length(reason) <= 1000),
  check ((decision is null) = (decided_at is null)),
  check (decision is distinct from 'denied' or length(btrim(reason)) >= 1),
  foreign key (deal_id, org_id) references public.deals (id, org_id) on delete cascade,
  foreign key (stage_id, org_id) references public.pipeline_stages (id, org_id) on delete set null (stage_id),
  foreign key (from_stage_id, org_id) references public.pipeline_stages (id, org_id) on delete set null (from_stage_id),
  foreign key (submitted_by, org_id) references public.org_members (user_id, org_id) on delete set null (submitted_by),
  foreign key (decided_by, org_id) references public.org_members (user_id, org_id) on delete set null (decided_by)
);
-- One waiting handoff per deal; the queue reads the waiting ones by stage.
create unique index deal_handoffs_waiting_key on public.deal_handoffs (deal_id) where decision is null;
create index deal_handoffs_queue_idx on public.deal_handoffs (org_id, stage_id, submitted_at) where decision is null;
create index deal_handoffs_deal_idx on public.deal_handoffs (deal_id, submitted_at desc);
alter table public.deal_handoffs enable row level security;
-- Written only by the deal's triggers below.
grant select on public.deal_handoffs to authenticated;
create policy deal_handoffs_select on public.deal_handoffs for select to authenticated
  using (public.is_member_of(org_id));

do $$
declare
  notices text[] := private.notification_types();
  events text[] := private.domain_event_types();
begin
  notices := notices || array(select t from unnest(array['handoff_submitted', 'handoff_decided']) t where not t = any (notices));
  execute format('create or replace function private.notification_types() returns text[] language sql immutable parallel safe return %L::text[]', notices);
  events := events || array(select t from unnest(array['deal.handoff_submitted', 'deal.handoff_accepted', 'deal.handoff_denied']) t where not t = any (events));
  execute format('create or replace function private.domain_event_types() returns text[] language sql immutable parallel safe return %L::text[]', events);
end
$$;

-- Leaving a handoff stage for its accept or deny stage is the receiving
-- side's decision, whatever the two stages' own lists say (the deny stage is
-- usually the submitting side's); every other move is checked as before.
create or replace function private.guard_deal_stage() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  r public.org_role := private.current_org_role();
  s record;
  h record;
begin
  if not private.is_end_user() or r in ('owner', 'admin') or not private.acts_for(new.org_id) then
    return new;
  end if;
  if tg_op = 'UPDATE' then
    if new.stage_id is not distinct from old.stage_id then
      return new;
    end if;
    select hs.name, hs.handoff_accept_stage_id, hs.handoff_deny_stage_id, a.restricted_roles, a.restricted_team_ids into h
    from public.pipeline_stages hs join public.pipeline_stages a on a.id = hs.handoff_accept_stage_id
    where hs.id = old.stage_id;
    if found and new.stage_id in (h.handoff_accept_stage_id, h.handoff_deny_stage_id) then
      if not private.may_use_stage(h.restricted_roles, h.restricted_team_ids) then
        raise exception 'Only % can accept or deny handoffs in the "%" stage', private.stage_users(h.handoff_accept_stage_id), h.name
          using errcode = '42501', hint = 'handoff_decider';
      end if;
      return new;
    end if;
    select restricted_roles, restricted_team_ids into s from public.pipeline_stages where id = old.stage_id;
    if not private.may_use_stage(s.restricted_roles, s.restricted_team_ids) then
      raise exception '%', private.stage_refusal(old.stage_id, 'out of')
        using errcode = '42501', hint = 'stage_restricted';
    end if;
  end if;
  select restricted_roles, restricted_team_ids into s from public.pipeline_stages where id = new.stage_id;
  if not private.may_use_stage(s.restricted_roles, s.restricted_team_ids) then
    raise exception '%', private.stage_refusal(new.stage_id, 'into')
      using errcode = '42501', hint = 'stage_restricted';
  end if;
  return new;
end
$$;

-- Before the move is written: a denial needs its reason (the move's reason,
-- covey.change_reason), and the decision decides the owner.
create function private.handoff_decide() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  h record;
  submitter uuid;
begin
  if new.stage_id is not distinct from old.stage_id then
    return new;
  end if;
  select handoff_accept_stage_id, handoff_deny_stage_id into h from public.pipeline_stages where id = old.stage_id;
  if h.handoff_accept_stage_id is null or new.stage_id not in (h.handoff_accept_stage_id, h.handoff_deny_stage_id) then
    return new;
  end if;
  if new.stage_id = h.handoff_deny_stage_id and private.change_reason() is null then
    raise exception 'Say why the handoff is denied' using errcode = '23514', hint = 'reason';
  end if;
  select submitted_by into submitter from public.deal_handoffs where deal_id = old.id and decision is null;
  if not found then
    return new;
  end if;
  if new.stage_id = h.handoff_accept_stage_id then
    new.owner_id := coalesce(auth.uid(), new.owner_id);
  else
    new.owner_id := coalesce(submitter, new.owner_id);
  end if;
  return new;
end
$$;
create trigger deals_handoff_decide before update of stage_id on public.deals
  for each row execute function private.handoff_decide();

-- After the move: the submission or decision is kept, told to the other
-- side, emitted as deal.handoff_submitted/accepted/denied and shown on the
-- deal's timeline.
create function private.handoff_record() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  h record;
  handoff public.deal_handoffs;
  verdict text;
  actor_name text;
  link text := '/deals/' || new.id;
begin
  if tg_op = 'UPDATE' and new.stage_id is not distinct from old.stage_id then
    return null;
  end if;
  select coalesce(nullif(btrim(p.full_name), ''), p.email::text) into actor_name from public.profiles p where p.user_id = auth.uid();

  if tg_op = 'UPDATE' then
    select s.name, s.handoff_accept_stage_id, s.handoff_deny_stage_id into h from public.pipeline_stages s where s.id = old.stage_id;
    if h.handoff_accept_stage_id is not null then
      verdict := case new.stage_id when h.handoff_accept_stage_id then 'accepted' when h.handoff_deny_stage_id then 'denied' else 'withdrawn' end;
      update public.deal_handoffs set decision = verdict, decided_by = auth.uid(), decided_at = now(),
                                      reason = left(private.change_reason(), 1000)
      where deal_id = new.id and decision is null
      returning * into handoff;
      if found and verdict <> 'withdrawn' then
        perform private.emit(new.org_id, 'deal.handoff_' || verdict, 'deal', new.id, to_jsonb(new),
                             jsonb_build_object('stage_id', jsonb_build_array(old.stage_id, new.stage_id),
                                                'owner_id', jsonb_build_array(old.owner_id, new.owner_id),
                                                'reason', handoff.reason));
        perform private.timeline_add(new.org_id, 'handoff_' || verdict, 'deal', new.id, null, null, new.id,
                                     jsonb_build_object('handoff_id', handoff.id, 'stage', h.name, 'reason', handoff.reason));
        if handoff.submitted_by is not null and handoff.submitted_by is distinct from auth.uid() then
          perform private.notify_user(new.org_id, handoff.submitted_by, 'handoff_decided',
                                      new.name || ': handoff ' || verdict || coalesce(' by ' || actor_name, ''),
                                      case when verdict = 'denied' then 'Reason: ' || handoff.reason
                                           else 'It is now in the accepter''s hands.' end,
                                      link, 'handoff:' || handoff.id || ':' || verdict);
        end if;
      end if;
    end if;
  end if;

  select s.name, s.handoff_accept_stage_id, a.restricted_roles, a.restricted_team_ids into h
  from public.pipeline_stages s join public.pipeline_stages a on a.id = s.handoff_accept_stage_id
  where s.id = new.stage_id;
  if found then
    insert into public.deal_handoffs (org_id, deal_id, stage_id, from_stage_id, submitted_by)
    values (new.org_id, new.id, new.stage_id, case when tg_op = 'UPDATE' then old.stage_id end, auth.uid())
    returning * into handoff;
    perform private.emit(new.org_id, 'deal.handoff_submitted', 'deal', new.id, to_jsonb(new),
                         jsonb_build_object('stage_id', jsonb_build_array(case when tg_op = 'UPDATE' then old.stage_id end, new.stage_id)));
    perform private.timeline_add(new.org_id, 'handoff_submitted', 'deal', new.id, null, null, new.id,
                                 jsonb_build_object('handoff_id', handoff.id, 'stage', h.name));
    -- The receiving side: members of the accept stage's teams and roles,
    -- else the owners and admins; each once, never the submitter.
    perform private.notify_user(new.org_id, m.user_id, 'handoff_submitted',
                                new.name || ' is waiting in the handoff queue',
                                'Submitted' || coalesce(' by ' || actor_name, '') || ' from "' || h.name || '"',
                                link, 'handoff:' || handoff.id)
    from public.org_members m
    where m.org_id = new.org_id and m.user_id is distinct from auth.uid()
      and (m.role = any (h.restricted_roles)
           or exists (select 1 from public.team_members tm join public.teams t on t.id = tm.team_id and t.archived_at is null
                      where tm.user_id = m.user_id and tm.team_id = any (h.restricted_team_ids))
           or (cardinality(h.restricted_roles) = 0 and cardinality(h.restricted_team_ids) = 0 and m.role in ('owner', 'admin')));
  end if;
  return null;
end
$$;
create trigger deals_handoff_record after insert or update of stage_id on public.deals
  for each row execute function private.handoff_record();
