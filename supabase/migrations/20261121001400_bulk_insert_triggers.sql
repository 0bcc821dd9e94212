-- Inserts of people, companies and deals write their audit rows, `created`
-- timeline items and `*.created` domain events once per statement, from the
-- statement's transition table, instead of once per row: an import of 100k
-- rows is one set-based insert per side table rather than 300k trigger calls.
-- Updates and deletes keep their row triggers (they compute per-row diffs).

create function private.audit_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
  select i.org_id, auth.uid(), case when auth.uid() is null then 'system' else 'user' end,
         tg_table_name, i.id::text, 'insert', private.audit_redact(to_jsonb(i))
  from inserted i;
  return null;
end
$$;

create function private.timeline_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
begin
  -- Only the record's own timeline: a new person is not news on the company.
  insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                      person_id, company_id, deal_id, data)
  select i.org_id, 'created', auth.uid(), private.actor_type(), obj, i.id,
         case when obj = 'person' then i.id end,
         case when obj = 'company' then i.id end,
         case when obj = 'deal' then i.id end,
         '{}'
  from inserted i;
  return null;
end
$$;

create function private.emit_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
begin
  insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data, changes)
  select i.org_id, obj || '.created', obj, i.id, auth.uid(), private.actor_type(), to_jsonb(i), '{}'
  from inserted i;
  return null;
end
$$;

-- The row functions now only see updates (and deletes).
drop trigger people_audit on public.people;
drop trigger people_timeline on public.people;
drop trigger people_events on public.people;
drop trigger companies_audit on public.companies;
drop trigger companies_timeline on public.companies;
drop trigger companies_events on public.companies;
drop trigger deals_audit on public.deals;
drop trigger deals_timeline on public.deals;
drop trigger deals_events on public.deals;

create trigger people_audit after update or delete on public.people
  for each row execute function private.audit();
create trigger people_audit_inserted after insert on public.people
  referencing new table as inserted for each statement execute function private.audit_inserted();
create trigger people_timeline after update on public.people
  for each row execute function private.record_timeline('person');
create trigger people_timeline_inserted after insert on public.people
  referencing new table as inserted for each statement execute function private.timeline_inserted('person');
create trigger people_events after update or delete on public.people
  for each row execute function private.emit_record_event('person');
create trigger people_events_inserted after insert on public.people
  referencing new table as inserted for each statement execute function private.emit_inserted('person');

create trigger companies_audit after update or delete on public.companies
  for each row execute function private.audit();
create trigger companies_audit_inserted after insert on public.companies
  referencing new table as inserted for each statement execute function private.audit_inserted();
create trigger companies_timeline after update on public.companies
  for each row execute function private.record_timeline('company');
create trigger companies_timeline_inserted after insert on public.companies
  referencing new table as inserted for each statement execute function private.timeline_inserted('company');
create trigger companies_events after update or delete on public.companies
  for each row execute function private.emit_record_event('company');
create trigger companies_events_inserted after insert on public.companies
  referencing new table as inserted for each statement execute function private.emit_inserted('company');

create trigger deals_audit after update or delete on public.deals
  for each row execute function private.audit();
create trigger deals_audit_inserted after insert on public.deals
  referencing new table as inserted for each statement execute function private.audit_inserted();
create trigger deals_timeline after update on public.deals
  for each row execute function private.record_timeline('deal');
create trigger deals_timeline_inserted after insert on public.deals
  referencing new table as inserted for each statement execute function private.timeline_inserted('deal');
create trigger deals_events after update or delete on public.deals
  for each row execute function private.emit_record_event('deal');
create trigger deals_events_inserted after insert on public.deals
  referencing new table as inserted for each statement execute function private.emit_inserted('deal');
