-- One timeline per record and the domain_events outbox, both written by
-- triggers in the transaction of the change, so no path (UI, API, import,
-- merge) can change a record without its history and its event.

-- Who is acting: a signed-in person, an API key (claims carry api_key_id),
-- or trusted system work.
create function private.actor_type() returns text
language sql stable set search_path = '' as $$
  select case
    when auth.jwt() ->> 'api_key_id' is not null then 'api_key'
    when auth.uid() is not null then 'user'
    else 'system'
  end
$$;

-- {field: [old, new]} for the fields that changed; custom fields appear as
-- `custom.<key>`.
create function private.row_diff(old_row jsonb, new_row jsonb, ignored text[]) returns jsonb
language sql immutable set search_path = '' as $$
  select coalesce(jsonb_object_agg(k, jsonb_build_array(o, n)), '{}')
  from (
    select f.k, old_row -> f.k as o, new_row -> f.k as n
    from (select jsonb_object_keys(new_row) as k) f
    where f.k <> all (ignored) and f.k <> 'custom'
      and (new_row -> f.k) is distinct from (old_row -> f.k)
    union all
    select 'custom.' || c.k, old_row -> 'custom' -> c.k, new_row -> 'custom' -> c.k
    from (select jsonb_object_keys(coalesce(old_row -> 'custom', '{}') || coalesce(new_row -> 'custom', '{}')) as k) c
    where 'custom' <> all (ignored)
      and (new_row -> 'custom' -> c.k) is distinct from (old_row -> 'custom' -> c.k)
  ) d
$$;

-- ---------------------------------------------------------------------------
-- Timeline
-- ---------------------------------------------------------------------------
-- kind: created, updated, archived, restored, merged, note, task,
-- task_completed, stage_changed, status_changed; communications issues add
-- email, sms, call and meeting with their own reference columns.
create table public.timeline_events (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  occurred_at timestamptz not null default now(),
  kind text not null check (kind ~ '^[a-z_]{1,40}$'),
  actor_id uuid references auth.users (id) on delete set null,
  actor_type text not null default 'user' check (actor_type in ('user', 'system', 'api_key')),
  -- The record the event is about...
  subject_type text not null check (subject_type in ('person', 'company', 'deal', 'task', 'note')),
  subject_id uuid not null,
  -- ...and the records whose timelines show it.
  person_id uuid,
  company_id uuid,
  deal_id uuid,
  note_id uuid,
  task_id uuid,
  data jsonb not null default '{}',
  foreign key (person_id, org_id) references public.people (id, org_id) on delete set null (person_id),
  foreign key (company_id, org_id) references public.companies (id, org_id) on delete set null (company_id),
  foreign key (deal_id, org_id) references public.deals (id, org_id) on delete set null (deal_id),
  foreign key (note_id, org_id) references public.notes (id, org_id) on delete cascade,
  foreign key (task_id, org_id) references public.tasks (id, org_id) on delete cascade
);
create index timeline_person_idx on public.timeline_events (person_id, occurred_at desc, id desc) where person_id is not null;
create index timeline_company_idx on public.timeline_events (company_id, occurred_at desc, id desc) where company_id is not null;
create index timeline_deal_idx on public.timeline_events (deal_id, occurred_at desc, id desc) where deal_id is not null;
create index timeline_org_idx on public.timeline_events (org_id, occurred_at desc, id desc);
create index timeline_note_idx on public.timeline_events (note_id) where note_id is not null;
create index timeline_task_idx on public.timeline_events (task_id) where task_id is not null;
alter table public.timeline_events enable row level security;

grant select on public.timeline_events to authenticated;
create policy timeline_events_select on public.timeline_events for select to authenticated
  using (public.is_member_of(org_id));

-- The person/company/deal timelines an item linked to a record appears on:
-- a deal's items also show on its person and company, a person's on their
-- company.
create function private.timeline_refs(person uuid, company uuid, deal uuid,
  out person_id uuid, out company_id uuid, out deal_id uuid)
language plpgsql stable security definer set search_path = '' as $$
declare
  deal_person uuid;
  deal_company uuid;
  person_company uuid;
begin
  if deal is not null then
    select d.person_id, d.company_id into deal_person, deal_company from public.deals d where d.id = deal;
  end if;
  person_id := coalesce(person, deal_person);
  company_id := coalesce(company, deal_company);
  deal_id := deal;
  if person_id is not null and company_id is null then
    select p.company_id into person_company from public.people p where p.id = coalesce(person, deal_person);
    company_id := person_company;
  end if;
end
$$;

create function private.timeline_add(org uuid, kind text, subject_type text, subject uuid,
  person uuid, company uuid, deal uuid, data jsonb default '{}', note uuid default null, task uuid default null)
returns void
language sql security definer set search_path = '' as $$
  insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                      person_id, company_id, deal_id, note_id, task_id, data)
  select org, kind, auth.uid(), private.actor_type(), subject_type, subject,
         r.person_id, r.company_id, r.deal_id, note, task, data
  from private.timeline_refs(person, company, deal) r
$$;

-- People, companies and deals: created, field edits, archive/restore, and
-- for deals stage and status changes.
create function private.record_timeline() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
  o jsonb;
  n jsonb := to_jsonb(new);
  p uuid;
  c uuid;
  d uuid;
  diff jsonb;
  stage_names jsonb;
begin
  p := case obj when 'person' then new.id else (n ->> 'person_id')::uuid end;
  c := case obj when 'company' then new.id else (n ->> 'company_id')::uuid end;
  d := case obj when 'deal' then new.id end;
  if tg_op = 'INSERT' then
    -- Only the record's own timeline: a new person is not news on the company.
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                        person_id, company_id, deal_id, data)
    values (new.org_id, 'created', auth.uid(), private.actor_type(), obj, new.id,
            case when obj = 'person' then new.id end,
            case when obj = 'company' then new.id end,
            d, '{}');
    return null;
  end if;
  o := to_jsonb(old);
  if (o ->> 'archived_at') is distinct from (n ->> 'archived_at') then
    perform private.timeline_add(new.org_id, case when n ->> 'archived_at' is null then 'restored' else 'archived' end,
                                 obj, new.id, case when obj = 'person' then new.id end,
                                 case when obj = 'company' then new.id end, d);
  end if;
  if obj = 'deal' and (o ->> 'stage_id') is distinct from (n ->> 'stage_id') then
    select jsonb_build_object(
             'from_stage_id', o ->> 'stage_id', 'to_stage_id', n ->> 'stage_id',
             'from_stage', (select name from public.pipeline_stages where id = (o ->> 'stage_id')::uuid),
             'to_stage', (select name from public.pipeline_stages where id = (n ->> 'stage_id')::uuid),
             'reason', private.change_reason())
      into stage_names;
    perform private.timeline_add(new.org_id, 'stage_changed', obj, new.id, p, c, d, stage_names);
  end if;
  if obj = 'deal' and (o ->> 'status') is distinct from (n ->> 'status') then
    perform private.timeline_add(new.org_id, 'status_changed', obj, new.id, p, c, d,
      jsonb_build_object('from', o ->> 'status', 'to', n ->> 'status', 'reason', private.change_reason()));
  end if;
  diff := private.row_diff(o, n, array['updated_at', 'archived_at', 'position', 'stage_id', 'status',
                                       'stage_entered_at', 'closed_at', 'full_name', 'lost_reason']);
  if diff <> '{}' then
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                        person_id, company_id, deal_id, data)
    values (new.org_id, 'updated', auth.uid(), private.actor_type(), obj, new.id,
            case when obj = 'person' then new.id end,
            case when obj = 'company' then new.id end,
            d, jsonb_build_object('changes', diff));
  end if;
  return null;
end
$$;

create function private.note_timeline() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.timeline_add(new.org_id, 'note', 'note', new.id, new.person_id, new.company_id, new.deal_id,
                               '{}', new.id, null);
  return null;
end
$$;

create function private.task_timeline() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    if num_nonnulls(new.person_id, new.company_id, new.deal_id) > 0 then
      perform private.timeline_add(new.org_id, 'task', 'task', new.id, new.person_id, new.company_id, new.deal_id,
                                   '{}', null, new.id);
    end if;
  elsif new.status = 'done' and old.status <> 'done'
        and num_nonnulls(new.person_id, new.company_id, new.deal_id) > 0 then
    perform private.timeline_add(new.org_id, 'task_completed', 'task', new.id, new.person_id, new.company_id,
                                 new.deal_id, '{}', null, new.id);
  end if;
  return null;
end
$$;

create trigger people_timeline after insert or update on public.people
  for each row execute function private.record_timeline('person');
create trigger companies_timeline after insert or update on public.companies
  for each row execute function private.record_timeline('company');
create trigger deals_timeline after insert or update on public.deals
  for each row execute function private.record_timeline('deal');
create trigger notes_timeline after insert on public.notes
  for each row execute function private.note_timeline();
create trigger tasks_timeline after insert or update of status on public.tasks
  for each row execute function private.task_timeline();

-- ---------------------------------------------------------------------------
-- Domain events outbox
-- ---------------------------------------------------------------------------
create table public.domain_events (
  id bigint generated always as identity primary key,
  -- Stable identity for delivery (the webhook-id of every attempt).
  event_id uuid not null default gen_random_uuid() unique,
  org_id uuid not null references public.orgs (id) on delete cascade,
  -- person.created, deal.moved, task.completed, ...
  type text not null check (type ~ '^[a-z_]+\.[a-z_]+$'),
  object_type text not null,
  object_id uuid not null,
  actor_id uuid,
  actor_type text not null check (actor_type in ('user', 'system', 'api_key')),
  -- The record after the change (before it, for deletions).
  data jsonb not null,
  -- Updates: {field: [old, new]}.
  changes jsonb not null default '{}',
  occurred_at timestamptz not null default now()
);
create index domain_events_org_idx on public.domain_events (org_id, id);
create index domain_events_object_idx on public.domain_events (object_id, id);
alter table public.domain_events enable row level security;

grant select on public.domain_events to authenticated;
create policy domain_events_select on public.domain_events for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create function private.emit(org uuid, type text, object_type text, object_id uuid, data jsonb, changes jsonb)
returns void
language sql security definer set search_path = '' as $$
  insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data, changes)
  values (org, type, object_type, object_id, auth.uid(), private.actor_type(), data, changes)
$$;

-- TG_ARGV[0]: the object name used in event types (person, company, deal,
-- task, note).
create function private.emit_record_event() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
  o jsonb;
  n jsonb;
  diff jsonb;
  rest jsonb;
begin
  if tg_op = 'INSERT' then
    perform private.emit(new.org_id, obj || '.created', obj, new.id, to_jsonb(new), '{}');
    return null;
  elsif tg_op = 'DELETE' then
    -- A deleted org takes its events with it.
    if exists (select 1 from public.orgs where id = old.org_id) then
      perform private.emit(old.org_id, obj || '.deleted', obj, old.id, to_jsonb(old), '{}');
    end if;
    return null;
  end if;
  o := to_jsonb(old);
  n := to_jsonb(new);
  diff := private.row_diff(o, n, array['updated_at']);
  if diff = '{}' then
    return null;
  end if;
  rest := diff;
  if diff ? 'archived_at' then
    perform private.emit(new.org_id, obj || case when n ->> 'archived_at' is null then '.restored' else '.archived' end,
                         obj, new.id, n, jsonb_build_object('archived_at', diff -> 'archived_at'));
    rest := rest - 'archived_at';
  end if;
  if obj = 'deal' and diff ? 'stage_id' then
    perform private.emit(new.org_id, 'deal.moved', obj, new.id, n,
                         jsonb_build_object('stage_id', diff -> 'stage_id', 'pipeline_id', diff -> 'pipeline_id',
                                            'position', diff -> 'position', 'status', diff -> 'status')
                         || jsonb_build_object('reason', private.change_reason()));
    rest := rest - array['stage_id', 'pipeline_id', 'position', 'stage_entered_at'];
  end if;
  if obj = 'deal' and diff ? 'status' then
    if n ->> 'status' in ('won', 'lost') then
      perform private.emit(new.org_id, 'deal.' || (n ->> 'status'), obj, new.id, n,
                           jsonb_build_object('status', diff -> 'status'));
    end if;
    rest := rest - array['status', 'closed_at', 'lost_reason'];
  end if;
  if obj = 'task' and diff ? 'status' and n ->> 'status' = 'done' then
    perform private.emit(new.org_id, 'task.completed', obj, new.id, n, jsonb_build_object('status', diff -> 'status'));
    rest := rest - array['status', 'completed_at'];
  end if;
  -- Reordering cards within a column is not news to integrators.
  rest := rest - 'position';
  if rest <> '{}' then
    perform private.emit(new.org_id, obj || '.updated', obj, new.id, n, rest);
  end if;
  return null;
end
$$;

create trigger people_events after insert or update or delete on public.people
  for each row execute function private.emit_record_event('person');
create trigger companies_events after insert or update or delete on public.companies
  for each row execute function private.emit_record_event('company');
create trigger deals_events after insert or update or delete on public.deals
  for each row execute function private.emit_record_event('deal');
create trigger tasks_events after insert or update or delete on public.tasks
  for each row execute function private.emit_record_event('task');
create trigger notes_events after insert or update or delete on public.notes
  for each row execute function private.emit_record_event('note');
