-- Updates of people, companies and deals write their audit rows, timeline
-- items, domain events and search words once per statement, from the
-- statement's transition tables (old and new rows), as inserts already do
-- (20261121001400): an import that updates 5,000 people is one set-based
-- insert per side table instead of 20,000 trigger calls, each diffing its row
-- in a SQL function call of its own. Same rows, same shapes and the same
-- order within a record as the row triggers wrote (20261121001300,
-- 20261121008000); deletes keep their row triggers.
--
-- Also per row on a bulk write, and cheap to avoid:
-- - audit redaction as an inlinable expression (a SQL function with its own
--   search_path is called, not inlined, once per audited row);
-- - the custom field check skipped by the trigger's WHEN for rows without
--   custom values, which the function returned unchanged anyway.

create or replace function private.audit_redact(row_data jsonb) returns jsonb
language sql immutable parallel safe
return row_data operator(pg_catalog.-) array['token_hash', 'updated_at', 'encrypted_password', 'secret_hash', 'secret',
                                            'previous_secret', 'last_used_at']::text[];

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

create function private.audit_updated() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
begin
  -- Materialized: each row is turned into jsonb once, not once per field compared.
  with r as materialized (
    select n.org_id, n.id, private.audit_redact(to_jsonb(o)) as o, private.audit_redact(to_jsonb(n)) as n
    from old_rows o join new_rows n on n.id = o.id
  )
  insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
  select r.org_id, actor, kind_of_actor, tg_table_name, r.id::text, 'update', d.diff
  from r
  cross join lateral (
    select jsonb_object_agg(e.key, jsonb_build_array(r.o -> e.key, e.value)) as diff
    from jsonb_each(r.n) e
    where e.value is distinct from r.o -> e.key
  ) d
  where d.diff is not null;
  return null;
end
$$;

-- TG_ARGV[0]: person, company or deal. Per record, in this order: archived or
-- restored, stage_changed and status_changed (deals), updated. Items other
-- than `updated` also show on the linked records' timelines, as
-- private.timeline_refs() links them: a deal's on its person and company (or
-- the person's company), a person's on their company.
create function private.timeline_updated() returns trigger
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
  insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                      person_id, company_id, deal_id, data)
  select r.org_id, k.kind, actor, kind_of_actor, obj, r.id,
         case when k.linked then l.person_id when obj = 'person' then r.id end,
         case when k.linked then l.company_id when obj = 'company' then r.id end,
         case when obj = 'deal' then r.id end,
         k.data
  from private.updated_rows(olds, news) r
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

-- TG_ARGV[0]: person, company or deal. Per record, in this order: .archived
-- or .restored, deal.moved, deal.won or deal.lost, .updated with the
-- remaining changes (card reordering is not news to integrators).
create function private.emit_updated() returns trigger
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
  insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data, changes)
  select r.org_id, k.type, obj, r.id, actor, kind_of_actor, r.n, k.changes
  from private.updated_rows(olds, news) r
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
  order by r.ord, k.step;
  return null;
end
$$;

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

drop trigger people_audit on public.people;
drop trigger people_timeline on public.people;
drop trigger people_events on public.people;
drop trigger people_search_words_update on public.people;
drop trigger companies_audit on public.companies;
drop trigger companies_timeline on public.companies;
drop trigger companies_events on public.companies;
drop trigger companies_search_words_update on public.companies;
drop trigger deals_audit on public.deals;
drop trigger deals_timeline on public.deals;
drop trigger deals_events on public.deals;
drop trigger deals_search_words_update on public.deals;

create trigger people_audit after delete on public.people
  for each row execute function private.audit();
create trigger people_audit_updated after update on public.people
  referencing old table as old_rows new table as new_rows for each statement execute function private.audit_updated();
create trigger people_timeline_updated after update on public.people
  referencing old table as old_rows new table as new_rows for each statement execute function private.timeline_updated('person');
create trigger people_events after delete on public.people
  for each row execute function private.emit_record_event('person');
create trigger people_events_updated after update on public.people
  referencing old table as old_rows new table as new_rows for each statement execute function private.emit_updated('person');
create trigger people_search_words_updated after update on public.people
  referencing old table as old_rows new table as new_rows for each statement execute function private.search_words_changed();

create trigger companies_audit after delete on public.companies
  for each row execute function private.audit();
create trigger companies_audit_updated after update on public.companies
  referencing old table as old_rows new table as new_rows for each statement execute function private.audit_updated();
create trigger companies_timeline_updated after update on public.companies
  referencing old table as old_rows new table as new_rows for each statement execute function private.timeline_updated('company');
create trigger companies_events after delete on public.companies
  for each row execute function private.emit_record_event('company');
create trigger companies_events_updated after update on public.companies
  referencing old table as old_rows new table as new_rows for each statement execute function private.emit_updated('company');
create trigger companies_search_words_updated after update on public.companies
  referencing old table as old_rows new table as new_rows for each statement execute function private.search_words_changed();

create trigger deals_audit after delete on public.deals
  for each row execute function private.audit();
create trigger deals_audit_updated after update on public.deals
  referencing old table as old_rows new table as new_rows for each statement execute function private.audit_updated();
create trigger deals_timeline_updated after update on public.deals
  referencing old table as old_rows new table as new_rows for each statement execute function private.timeline_updated('deal');
create trigger deals_events after delete on public.deals
  for each row execute function private.emit_record_event('deal');
create trigger deals_events_updated after update on public.deals
  referencing old table as old_rows new table as new_rows for each statement execute function private.emit_updated('deal');
create trigger deals_search_words_updated after update on public.deals
  referencing old table as old_rows new table as new_rows for each statement execute function private.search_words_changed();

drop trigger people_custom on public.people;
drop trigger companies_custom on public.companies;
drop trigger deals_custom on public.deals;
create trigger people_custom before insert or update of custom on public.people
  for each row when (new.custom is null or new.custom <> '{}'::jsonb) execute function private.check_custom_fields('person');
create trigger companies_custom before insert or update of custom on public.companies
  for each row when (new.custom is null or new.custom <> '{}'::jsonb) execute function private.check_custom_fields('company');
create trigger deals_custom before insert or update of custom on public.deals
  for each row when (new.custom is null or new.custom <> '{}'::jsonb) execute function private.check_custom_fields('deal');
