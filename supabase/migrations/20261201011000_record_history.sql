-- One timeline per record and the domain_events outbox, both written by
-- triggers in the transaction of the change, so no path (UI, API, import,
-- merge) can change a record without its history and its event.
--
-- What runs when a person, company or deal changes (the triggers not in
-- this file are in the people and companies, pipelines and deals, search and
-- board versions migrations):
--   before each row    touch updated_at; guard archive and owner changes;
--                      check custom values; deals: defaults, stage guard
--   after each row     deals: stage history; delete: audit row and
--                      `*.deleted` event
--   after a statement  insert: record_inserted (audit, `created` item,
--                      `*.created` event); update: record_updated (audit,
--                      timeline items, events); delete: timeline references
--                      cleared; all: search words; deals: board version

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
  org_id uuid not null,
  occurred_at timestamptz not null default now(),
  kind text not null check (kind ~ '^[a-z_]{1,40}$'),
  actor_id uuid,
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
  data jsonb not null default '{}'
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
  org_id uuid not null,
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
create trigger tasks_events after insert or update or delete on public.tasks
  for each row execute function private.emit_record_event('task');
create trigger notes_events after insert or update or delete on public.notes
  for each row execute function private.emit_record_event('note');

-- People, companies and deals write their audit rows, timeline items,
-- domain events and search words once per statement, from the statement's
-- transition tables (old and new rows), not once per row: an import of 100k
-- rows is one set-based insert per side table rather than 300k trigger
-- calls, and one that updates 5,000 people is not 20,000 calls each diffing
-- its row. The rows, their shapes and their order within a record are those
-- row triggers would write (tasks and notes keep row triggers, above);
-- deletes keep their row triggers.
--
-- The actor is read from the request claims once per statement:
-- private.actor_type() and auth.uid() parse the claims JSON on every call,
-- and a function with its own search_path is never inlined, so per row they
-- would cost more than the rest of the row's work.
--
-- Also per row on a bulk write, and cheap to avoid:
-- - audit redaction as an inlinable expression (a SQL function with its own
--   search_path is called, not inlined, once per audited row);
-- - the custom field check skipped by the trigger's WHEN for rows without
--   custom values, which the function returned unchanged anyway.

-- The changed fields of each updated row, {field: [old, new]} as
-- private.row_diff() makes them (custom fields as `custom.<key>`), with the
-- rows as jsonb, in update order. Both diffs a caller needs come from here:
-- `changes` ignores updated_at only (events), the timeline drops more.
create function private.updated_rows(old_rows jsonb[], new_rows jsonb[])
returns table (ord int, org_id uuid, id uuid, o jsonb, n jsonb, changes jsonb)
language sql immutable set search_path = '' as $$
  select r.ord::int, (r.n ->> 'org_id')::uuid, (r.n ->> 'id')::uuid, r.o, r.n, d.changes
  from unnest(old_rows, new_rows) with ordinality r (o, n, ord)
  cross join lateral (
    select coalesce(jsonb_object_agg(x.k, jsonb_build_array(x.ov, x.nv)), '{}') as changes
    from (
      select f.key as k, r.o -> f.key as ov, f.value as nv
      from jsonb_each(r.n) f
      where f.key <> 'updated_at' and f.key <> 'custom' and f.value is distinct from r.o -> f.key
      union all
      select 'custom.' || c.k, r.o -> 'custom' -> c.k, r.n -> 'custom' -> c.k
      from jsonb_object_keys(coalesce(r.o -> 'custom', '{}') || coalesce(r.n -> 'custom', '{}')) c (k)
      where (r.n -> 'custom' -> c.k) is distinct from (r.o -> 'custom' -> c.k)
    ) x
  ) d
$$;
revoke all on function private.updated_rows(jsonb[], jsonb[]) from public;

-- Renames, new emails and domains, restores from the archive: the words of
-- the rows whose searched text or archive state changed.
create function private.search_words_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_table_name = 'people' then
    perform private.add_search_words(array_agg(n.org_id), array_agg(n.full_name || ' ' || coalesce(n.email::text, '')))
    from old_rows o join new_rows n on n.id = o.id
    where o.full_name is distinct from n.full_name or o.email is distinct from n.email
       or o.archived_at is distinct from n.archived_at
    having count(*) > 0;
  elsif tg_table_name = 'companies' then
    perform private.add_search_words(array_agg(n.org_id), array_agg(n.name || ' ' || coalesce(n.domain::text, '')))
    from old_rows o join new_rows n on n.id = o.id
    where o.name is distinct from n.name or o.domain is distinct from n.domain
       or o.archived_at is distinct from n.archived_at
    having count(*) > 0;
  else
    perform private.add_search_words(array_agg(n.org_id), array_agg(n.name))
    from old_rows o join new_rows n on n.id = o.id
    where o.name is distinct from n.name or o.archived_at is distinct from n.archived_at
    having count(*) > 0;
  end if;
  return null;
end
$$;

create trigger people_audit after delete on public.people
  for each row execute function private.audit();
create trigger people_events after delete on public.people
  for each row execute function private.emit_record_event('person');
create trigger people_search_words_updated after update on public.people
  referencing old table as old_rows new table as new_rows for each statement execute function private.search_words_changed();

create trigger companies_audit after delete on public.companies
  for each row execute function private.audit();
create trigger companies_events after delete on public.companies
  for each row execute function private.emit_record_event('company');
create trigger companies_search_words_updated after update on public.companies
  referencing old table as old_rows new table as new_rows for each statement execute function private.search_words_changed();

create trigger deals_audit after delete on public.deals
  for each row execute function private.audit();
create trigger deals_events after delete on public.deals
  for each row execute function private.emit_record_event('deal');
create trigger deals_search_words_updated after update on public.deals
  referencing old table as old_rows new table as new_rows for each statement execute function private.search_words_changed();
create trigger people_custom before insert or update of custom on public.people
  for each row when (new.custom is null or new.custom <> '{}'::jsonb) execute function private.check_custom_fields('person');
create trigger companies_custom before insert or update of custom on public.companies
  for each row when (new.custom is null or new.custom <> '{}'::jsonb) execute function private.check_custom_fields('company');
create trigger deals_custom before insert or update of custom on public.deals
  for each row when (new.custom is null or new.custom <> '{}'::jsonb) execute function private.check_custom_fields('deal');

-- Inserts of people, companies and deals: the audit rows, `created` timeline
-- items and `*.created` events of a statement in one trigger, which turns
-- each new row into jsonb once for both the audit row and the event.
create function private.record_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
begin
  with events as (
    insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data, changes)
    select i.org_id, obj || '.created', obj, i.id, actor, kind_of_actor, to_jsonb(i), '{}'
    from inserted i
    returning org_id, object_id, data
  ), audited as (
    insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
    select e.org_id, actor, kind_of_actor, tg_table_name, e.object_id::text, 'insert', private.audit_redact(e.data)
    from events e
  )
  -- Only the record's own timeline: a new person is not news on the company.
  insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                      person_id, company_id, deal_id, data)
  select i.org_id, 'created', actor, kind_of_actor, obj, i.id,
         case when obj = 'person' then i.id end,
         case when obj = 'company' then i.id end,
         case when obj = 'deal' then i.id end,
         '{}'
  from inserted i;
  return null;
end
$$;

create trigger people_inserted after insert on public.people
  referencing new table as inserted for each statement execute function private.record_inserted('person');
create trigger companies_inserted after insert on public.companies
  referencing new table as inserted for each statement execute function private.record_inserted('company');
create trigger deals_inserted after insert on public.deals
  referencing new table as inserted for each statement execute function private.record_inserted('deal');

-- audit_log, domain_events and timeline_events are written only by
-- triggers (security definer; no role may insert into them), from rows whose
-- own foreign keys already hold: the org, the actor and the records a row
-- names exist when it is written. Foreign keys would check that again per
-- row, 9 checks for every created person: about a fifth of the database's
-- time in a 100,000-row import. So they have none, and what foreign keys
-- would do on delete is done once per statement from its deleted rows:
--   org deleted        → its audit rows, events and timeline items go;
--   user deleted       → timeline items keep their text, actor_id null;
--   person, company,
--   deal deleted       → items that named it stay, that reference null;
--   note, task deleted → their timeline items go.

-- Runs after the org's cascades (statement triggers fire after the row
-- triggers that cascade), so rows those deletes logged go too.
create function private.org_logs_deleted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.timeline_events where org_id in (select id from deleted);
  delete from public.audit_log where org_id in (select id from deleted);
  delete from public.domain_events where org_id in (select id from deleted);
  return null;
end
$$;
create trigger orgs_logs_deleted after delete on public.orgs
  referencing old table as deleted for each statement execute function private.org_logs_deleted();

create function private.actor_deleted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.timeline_events set actor_id = null where actor_id in (select id from deleted);
  return null;
end
$$;
create trigger users_timeline_actor_deleted after delete on auth.users
  referencing old table as deleted for each statement execute function private.actor_deleted();

-- TG_ARGV[0]: the timeline_events column naming the deleted rows.
create function private.timeline_reference_deleted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  case tg_argv[0]
    when 'person_id' then
      update public.timeline_events set person_id = null where person_id in (select id from deleted);
    when 'company_id' then
      update public.timeline_events set company_id = null where company_id in (select id from deleted);
    when 'deal_id' then
      update public.timeline_events set deal_id = null where deal_id in (select id from deleted);
    when 'note_id' then
      delete from public.timeline_events where note_id in (select id from deleted);
    when 'task_id' then
      delete from public.timeline_events where task_id in (select id from deleted);
  end case;
  return null;
end
$$;
create trigger people_timeline_deleted after delete on public.people
  referencing old table as deleted for each statement execute function private.timeline_reference_deleted('person_id');
create trigger companies_timeline_deleted after delete on public.companies
  referencing old table as deleted for each statement execute function private.timeline_reference_deleted('company_id');
create trigger deals_timeline_deleted after delete on public.deals
  referencing old table as deleted for each statement execute function private.timeline_reference_deleted('deal_id');
create trigger notes_timeline_deleted after delete on public.notes
  referencing old table as deleted for each statement execute function private.timeline_reference_deleted('note_id');
create trigger tasks_timeline_deleted after delete on public.tasks
  referencing old table as deleted for each statement execute function private.timeline_reference_deleted('task_id');

revoke all on function private.org_logs_deleted() from public;
revoke all on function private.actor_deleted() from public;
revoke all on function private.timeline_reference_deleted() from public;

-- Updates of people, companies and deals: the audit rows, timeline items and
-- events of a statement from one trigger, as inserts do, which turns every
-- old and new row into jsonb and diffs each pair once (a trigger per side
-- table would each do it again: 5,000 updated people would cost about as
-- much as 15,000 inserted ones).
-- TG_ARGV[0]: person, company or deal.
create function private.record_updated() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
  reason text := private.change_reason();
  olds jsonb[];
  news jsonb[];
begin
  select array_agg(to_jsonb(o)), array_agg(to_jsonb(n)) into olds, news
  from old_rows o join new_rows n on n.id = o.id;
  if olds is null then
    return null;
  end if;
  with r as materialized (
    select * from private.updated_rows(olds, news)
  ), audited as (
    insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
    select r.org_id, actor, kind_of_actor, tg_table_name, r.id::text, 'update', d.diff
    from r
    cross join lateral (
      select jsonb_object_agg(e.key, jsonb_build_array(r.o -> e.key, e.value)) as diff
      from jsonb_each(private.audit_redact(r.n)) e
      where e.value is distinct from r.o -> e.key
    ) d
    where d.diff is not null
  ), emitted as (
    -- Per record: .archived or .restored, deal.moved, deal.won or deal.lost,
    -- .updated with the remaining changes (card reordering is not news to integrators).
    insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data, changes)
    select r.org_id, k.type, obj, r.id, actor, kind_of_actor, r.n, k.changes
    from r
    cross join lateral (
      select 1 as step, obj || case when r.n ->> 'archived_at' is null then '.restored' else '.archived' end as type,
             jsonb_build_object('archived_at', r.changes -> 'archived_at') as changes
      where r.changes ? 'archived_at'
      union all
      select 2, 'deal.moved',
             jsonb_build_object('stage_id', r.changes -> 'stage_id', 'pipeline_id', r.changes -> 'pipeline_id',
                                'position', r.changes -> 'position', 'status', r.changes -> 'status')
             || jsonb_build_object('reason', reason)
      where obj = 'deal' and r.changes ? 'stage_id'
      union all
      select 3, 'deal.' || (r.n ->> 'status'), jsonb_build_object('status', r.changes -> 'status')
      where obj = 'deal' and r.changes ? 'status' and r.n ->> 'status' in ('won', 'lost')
      union all
      select 4, obj || '.updated', rest.changes
      from (
        select r.changes - 'archived_at'
               - case when obj = 'deal' and r.changes ? 'stage_id'
                      then array['stage_id', 'pipeline_id', 'position', 'stage_entered_at'] else '{}'::text[] end
               - case when obj = 'deal' and r.changes ? 'status'
                      then array['status', 'closed_at', 'lost_reason'] else '{}'::text[] end
               - 'position' as changes
      ) rest
      where rest.changes <> '{}'
    ) k
    order by r.ord, k.step
  )
  -- Per record: archived or restored, stage_changed and status_changed
  -- (deals), updated. Items other than `updated` also show on the linked
  -- records' timelines: a deal's on its person and company (or the person's
  -- company), a person's on their company.
  insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                      person_id, company_id, deal_id, data)
  select r.org_id, k.kind, actor, kind_of_actor, obj, r.id,
         case when k.linked then l.person_id when obj = 'person' then r.id end,
         case when k.linked then l.company_id when obj = 'company' then r.id end,
         case when obj = 'deal' then r.id end,
         k.data
  from r
  cross join lateral (
    select case obj when 'person' then r.id when 'deal' then (r.n ->> 'person_id')::uuid end as person_id,
           case obj
             when 'company' then r.id
             when 'person' then (r.n ->> 'company_id')::uuid
             else coalesce((r.n ->> 'company_id')::uuid,
                           (select p.company_id from public.people p where p.id = (r.n ->> 'person_id')::uuid))
           end as company_id
  ) l
  cross join lateral (
    select 1 as step, case when r.n ->> 'archived_at' is null then 'restored' else 'archived' end as kind,
           '{}'::jsonb as data, true as linked
    where (r.o ->> 'archived_at') is distinct from (r.n ->> 'archived_at')
    union all
    select 2, 'stage_changed',
           jsonb_build_object(
             'from_stage_id', r.o ->> 'stage_id', 'to_stage_id', r.n ->> 'stage_id',
             'from_stage', (select s.name from public.pipeline_stages s where s.id = (r.o ->> 'stage_id')::uuid),
             'to_stage', (select s.name from public.pipeline_stages s where s.id = (r.n ->> 'stage_id')::uuid),
             'reason', reason),
           true
    where obj = 'deal' and (r.o ->> 'stage_id') is distinct from (r.n ->> 'stage_id')
    union all
    select 3, 'status_changed', jsonb_build_object('from', r.o ->> 'status', 'to', r.n ->> 'status', 'reason', reason), true
    where obj = 'deal' and (r.o ->> 'status') is distinct from (r.n ->> 'status')
    union all
    select 4, 'updated', jsonb_build_object('changes', u.changes), false
    from (select r.changes - array['archived_at', 'position', 'stage_id', 'status', 'stage_entered_at', 'closed_at',
                                   'full_name', 'lost_reason'] as changes) u
    where u.changes <> '{}'
  ) k
  order by r.ord, k.step;
  return null;
end
$$;
revoke all on function private.record_updated() from public;

create trigger people_updated after update on public.people
  referencing old table as old_rows new table as new_rows for each statement execute function private.record_updated('person');
create trigger companies_updated after update on public.companies
  referencing old table as old_rows new table as new_rows for each statement execute function private.record_updated('company');
create trigger deals_updated after update on public.deals
  referencing old table as old_rows new table as new_rows for each statement execute function private.record_updated('deal');
