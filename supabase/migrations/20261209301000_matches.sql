-- Matches: a deal of a pairing's left pipeline with a deal of its right
-- pipeline (a case with intended parents), with its own status flow:
--
--   proposed → left_review → right_review → meeting → matched
--   any open status → declined (a reason, and which side declined)
--
-- The statuses are fixed here rather than org data: the database acts on
-- them (matched moves both deals, declined needs a reason, one open match
-- per pair) and integrators read them as stable names; what an org words
-- differently is the sides' names ("Surrogate reviewing"), which are data
-- on match_settings. A match goes one step forward at a time.
--
-- When a match becomes matched, both deals move to their pipeline's matched
-- stage in the same transaction, as the member (the stages' role and team
-- restrictions apply), and every other open match of either deal is
-- declined with the reason naming the match that was made: a deal is
-- matched once, and an open proposal for it would only mislead.
--
-- Triggers keep the history (match_status_history), both deals' timelines,
-- the match.* events and the owners' notifications in the transaction of
-- the change, so the app, the REST API and SQL as the member agree.

create table public.matches (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  setting_id uuid not null,
  left_deal_id uuid not null,
  right_deal_id uuid not null,
  status text not null default 'proposed'
    check (status in ('proposed', 'left_review', 'right_review', 'meeting', 'matched', 'declined')),
  -- Null on a declined match: Covey closed it because a deal was matched elsewhere.
  declined_by text check (declined_by in ('left', 'right')),
  decline_reason text check (length(decline_reason) <= 500),
  proposed_by uuid default auth.uid() references auth.users (id) on delete set null,
  status_changed_at timestamptz not null default now(),
  matched_at timestamptz,
  declined_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  check ((status = 'declined') = (decline_reason is not null and length(btrim(decline_reason)) > 0)),
  check (status = 'declined' or declined_by is null),
  foreign key (setting_id, org_id) references public.match_settings (id, org_id) on delete cascade,
  foreign key (left_deal_id, org_id) references public.deals (id, org_id) on delete cascade,
  foreign key (right_deal_id, org_id) references public.deals (id, org_id) on delete cascade
);
create unique index matches_open_pair_key on public.matches (left_deal_id, right_deal_id) where status <> 'declined';
create unique index matches_left_matched_key on public.matches (left_deal_id) where status = 'matched';
create unique index matches_right_matched_key on public.matches (right_deal_id) where status = 'matched';
create index matches_right_deal_idx on public.matches (right_deal_id);
create index matches_org_idx on public.matches (org_id, created_at desc, id);
alter table public.matches enable row level security;

create table public.match_status_history (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  match_id uuid not null,
  from_status text,
  to_status text not null,
  changed_by uuid references auth.users (id) on delete set null,
  reason text,
  changed_at timestamptz not null default now(),
  foreign key (match_id, org_id) references public.matches (id, org_id) on delete cascade
);
create index match_status_history_match_idx on public.match_status_history (match_id, id);
create index match_status_history_org_idx on public.match_status_history (org_id);
alter table public.match_status_history enable row level security;

grant select on public.matches, public.match_status_history to authenticated, service_role;
grant insert (org_id, left_deal_id, right_deal_id) on public.matches to authenticated;
grant update (status, declined_by, decline_reason) on public.matches to authenticated;
grant insert, update on public.matches to service_role;

create policy matches_select on public.matches for select to authenticated
  using (public.is_member_of(org_id));
-- Who may propose and advance depends on the pairing's matched stages:
-- private.match_guard asks public.may_match and names the refusal.
create policy matches_insert on public.matches for insert to authenticated
  with check (public.is_member_of(org_id));
create policy matches_update on public.matches for update to authenticated
  using (public.is_member_of(org_id))
  with check (public.is_member_of(org_id));
create policy match_status_history_select on public.match_status_history for select to authenticated
  using (public.is_member_of(org_id));

create function private.match_status_label(setting uuid, status text) returns text
language sql stable security definer set search_path = '' as $$
  select case status
    when 'proposed' then 'Proposed'
    when 'left_review' then s.left_label || ' reviewing'
    when 'right_review' then s.right_label || ' reviewing'
    when 'meeting' then 'Match meeting'
    when 'matched' then 'Matched'
    when 'declined' then 'Declined'
  end
  from public.match_settings s where s.id = setting
$$;
revoke all on function private.match_status_label(uuid, text) from public;

create function private.match_next_status(status text) returns text
language sql immutable set search_path = '' as $$
  select case status
    when 'proposed' then 'left_review'
    when 'left_review' then 'right_review'
    when 'right_review' then 'meeting'
    when 'meeting' then 'matched'
  end
$$;

create function private.deal_label(deal uuid) returns text
language sql stable security definer set search_path = '' as $$
  select d.name from public.deals d where d.id = deal
$$;
revoke all on function private.deal_label(uuid) from public;

-- The checks of a proposal and of each step, with refusals that name the
-- deals; the pairing is found from the deals' pipelines (either order).
create function private.match_guard() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  l record;
  r record;
  t record;
  s record;
  other uuid;
  end_user boolean := private.is_end_user();
begin
  -- Another org's row is the policies' to refuse, saying nothing of that org's deals.
  if not private.acts_for(new.org_id) then
    return new;
  end if;
  if tg_op = 'INSERT' then
    select id, org_id, name, pipeline_id, archived_at into l from public.deals where id = new.left_deal_id;
    select id, org_id, name, pipeline_id, archived_at into r from public.deals where id = new.right_deal_id;
    if l.id is null or r.id is null or l.org_id <> new.org_id or r.org_id <> new.org_id then
      raise exception 'That deal was not found' using errcode = '23503', hint = case when l.id is null then 'left_deal_id' else 'right_deal_id' end;
    end if;
    select * into s from public.match_settings where org_id = new.org_id and left_pipeline_id = l.pipeline_id and right_pipeline_id = r.pipeline_id;
    if s.id is null then
      -- Given the other way round: the pairing says which side is which.
      select * into s from public.match_settings where org_id = new.org_id and left_pipeline_id = r.pipeline_id and right_pipeline_id = l.pipeline_id;
      if s.id is null then
        raise exception '"%" and "%" are not on pipelines that match with each other', l.name, r.name
          using errcode = '23514', hint = 'right_deal_id';
      end if;
      new.left_deal_id := r.id;
      new.right_deal_id := l.id;
      t := l;
      l := r;
      r := t;
    end if;
    new.setting_id := s.id;
    new.status := 'proposed';
    new.declined_by := null;
    new.decline_reason := null;
    new.proposed_by := auth.uid();
    new.status_changed_at := now();
    new.matched_at := null;
    new.declined_at := null;
    if end_user and not public.may_match(s.id) then
      raise exception 'Only those who may move deals into the matched stages can propose matches'
        using errcode = '42501', hint = 'may_match';
    end if;
    if l.archived_at is not null or r.archived_at is not null then
      raise exception '"%" is archived: restore it before matching it', case when l.archived_at is not null then l.name else r.name end
        using errcode = '23514', hint = case when l.archived_at is not null then 'left_deal_id' else 'right_deal_id' end;
    end if;
    -- Taken under the deals' locks, so two proposals racing for one deal see each other.
    perform 1 from public.deals where id in (new.left_deal_id, new.right_deal_id) order by id for update;
    select m.right_deal_id into other from public.matches m where m.left_deal_id = new.left_deal_id and m.status = 'matched';
    if other is not null then
      raise exception '"%" is already matched with "%"', l.name, private.deal_label(other)
        using errcode = '23505', hint = 'already_matched';
    end if;
    select m.left_deal_id into other from public.matches m where m.right_deal_id = new.right_deal_id and m.status = 'matched';
    if other is not null then
      raise exception '"%" is already matched with "%"', r.name, private.deal_label(other)
        using errcode = '23505', hint = 'already_matched';
    end if;
    if exists (select 1 from public.matches m where m.left_deal_id = new.left_deal_id and m.right_deal_id = new.right_deal_id
               and m.status <> 'declined') then
      raise exception 'A match of "%" with "%" is already open', l.name, r.name
        using errcode = '23505', hint = 'duplicate_match';
    end if;
    return new;
  end if;

  if old.status in ('matched', 'declined') and (new.status, new.declined_by, new.decline_reason) is distinct from (old.status, old.declined_by, old.decline_reason) then
    raise exception 'This match is already %', old.status using errcode = '23514', hint = 'status';
  end if;
  if new.status is not distinct from old.status then
    if new.declined_by is distinct from old.declined_by or new.decline_reason is distinct from old.decline_reason then
      raise exception 'A match''s decline is recorded when it is declined' using errcode = '23514', hint = 'status';
    end if;
    return new;
  end if;
  if end_user and not public.may_match(old.setting_id) then
    raise exception 'Only those who may move deals into the matched stages can advance or decline matches'
      using errcode = '42501', hint = 'may_match';
  end if;
  if new.status = 'declined' then
    if new.decline_reason is null or btrim(new.decline_reason) = '' then
      raise exception 'Say why the match is declined' using errcode = '23514', hint = 'reason';
    end if;
    new.decline_reason := btrim(new.decline_reason);
    new.declined_at := now();
  else
    if new.status is distinct from private.match_next_status(old.status) then
      raise exception 'A match that is "%" goes to "%" next', private.match_status_label(old.setting_id, old.status),
        private.match_status_label(old.setting_id, private.match_next_status(old.status))
        using errcode = '23514', hint = 'status';
    end if;
    new.declined_by := null;
    new.decline_reason := null;
    if new.status = 'matched' then
      new.matched_at := now();
    end if;
  end if;
  new.status_changed_at := now();
  return new;
end
$$;
create trigger matches_guard before insert or update on public.matches
  for each row execute function private.match_guard();
create trigger matches_touch before update on public.matches
  for each row execute function private.touch_updated_at();
create trigger matches_audit after insert or update or delete on public.matches
  for each row execute function private.audit();

-- Matched: both deals to their matched stages and the deals' other open
-- matches declined. Security invoker on purpose: the moves are the member's
-- own, so the stages' restrictions and the deals' policies apply to them.
create function private.match_made() returns trigger
language plpgsql set search_path = '' as $$
declare
  s record;
  why text;
begin
  select * into s from public.match_settings where id = new.setting_id;
  why := format('Matched: %s with %s', (select d.name from public.deals d where d.id = new.left_deal_id),
                (select d.name from public.deals d where d.id = new.right_deal_id));
  perform set_config('covey.change_reason', why, true);
  if s.left_matched_stage_id is not null then
    update public.deals d
    set stage_id = s.left_matched_stage_id, pipeline_id = s.left_pipeline_id,
        position = coalesce((select max(x.position) from public.deals x where x.stage_id = s.left_matched_stage_id), 0) + 1024
    where d.id = new.left_deal_id and d.stage_id is distinct from s.left_matched_stage_id;
  end if;
  if s.right_matched_stage_id is not null then
    update public.deals d
    set stage_id = s.right_matched_stage_id, pipeline_id = s.right_pipeline_id,
        position = coalesce((select max(x.position) from public.deals x where x.stage_id = s.right_matched_stage_id), 0) + 1024
    where d.id = new.right_deal_id and d.stage_id is distinct from s.right_matched_stage_id;
  end if;
  perform set_config('covey.change_reason', '', true);
  update public.matches m
  set status = 'declined', declined_by = null, decline_reason = left(why, 500)
  where m.id <> new.id and m.status not in ('matched', 'declined')
    and (m.left_deal_id = new.left_deal_id or m.right_deal_id = new.right_deal_id);
  return null;
end
$$;
create trigger matches_made after update of status on public.matches
  for each row when (new.status = 'matched' and old.status is distinct from 'matched')
  execute function private.match_made();

-- History, both deals' timelines, the event and the owners' notifications.
create function private.match_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  actor uuid := auth.uid();
  l record;
  r record;
  s record;
  label text;
  kind text;
  event text;
  side text;
  n jsonb := to_jsonb(new);
  owner uuid;
  title text;
begin
  if tg_op = 'UPDATE' and new.status is not distinct from old.status then
    return null;
  end if;
  select id, name, owner_id into l from public.deals where id = new.left_deal_id;
  select id, name, owner_id into r from public.deals where id = new.right_deal_id;
  select * into s from public.match_settings where id = new.setting_id;
  label := private.match_status_label(new.setting_id, new.status);
  side := case new.declined_by when 'left' then s.left_label when 'right' then s.right_label end;

  insert into public.match_status_history (org_id, match_id, from_status, to_status, changed_by, reason)
  values (new.org_id, new.id, case when tg_op = 'UPDATE' then old.status end, new.status, actor, new.decline_reason);

  kind := case when tg_op = 'INSERT' then 'match_proposed' when new.status = 'matched' then 'match_matched'
               when new.status = 'declined' then 'match_declined' else 'match_advanced' end;
  event := case when tg_op = 'INSERT' then 'match.proposed' when new.status = 'matched' then 'match.matched'
                when new.status = 'declined' then 'match.declined' else 'match.status_changed' end;
  perform private.timeline_add(new.org_id, kind, 'deal', l.id, null, null, l.id,
    jsonb_build_object('match_id', new.id, 'other_deal_id', r.id, 'other_name', r.name, 'status', new.status,
                       'status_label', label, 'reason', new.decline_reason, 'declined_by', side));
  perform private.timeline_add(new.org_id, kind, 'deal', r.id, null, null, r.id,
    jsonb_build_object('match_id', new.id, 'other_deal_id', l.id, 'other_name', l.name, 'status', new.status,
                       'status_label', label, 'reason', new.decline_reason, 'declined_by', side));
  perform private.emit(new.org_id, event, 'match', new.id, n,
    case when tg_op = 'INSERT' then '{}'::jsonb
         else jsonb_build_object('status', jsonb_build_array(old.status, new.status)) end);

  if kind in ('match_proposed', 'match_matched', 'match_declined') then
    title := case kind
      when 'match_proposed' then format('Match proposed: %s with %s', l.name, r.name)
      when 'match_matched' then format('Matched: %s with %s', l.name, r.name)
      else format('Match declined: %s with %s', l.name, r.name) end;
    foreach owner in array array_remove(array[l.owner_id, case when r.owner_id is distinct from l.owner_id then r.owner_id end], null) loop
      continue when owner = actor;
      perform private.notify_user(new.org_id, owner, 'match', title,
        case when kind = 'match_declined' then coalesce(side || ' declined: ', '') || new.decline_reason end,
        '/deals/' || case when owner = l.owner_id then l.id else r.id end,
        format('match:%s:%s', new.id, new.status));
    end loop;
  end if;
  return null;
end
$$;
create trigger matches_changed after insert or update of status on public.matches
  for each row execute function private.match_changed();

do $$
declare
  events text[] := private.domain_event_types();
  notices text[] := private.notification_types();
begin
  events := events || array(select t from unnest(array['match.proposed', 'match.status_changed', 'match.matched', 'match.declined']) t
                            where not t = any (events));
  notices := notices || array(select t from unnest(array['match']) t where not t = any (notices));
  execute format('create or replace function private.domain_event_types() returns text[] language sql immutable parallel safe return %L::text[]', events);
  execute format('create or replace function private.notification_types() returns text[] language sql immutable parallel safe return %L::text[]', notices);
end
$$;
