-- Inserts of people, companies and deals: the audit rows, `created` timeline
-- items and `*.created` events of a statement in one trigger, which turns
-- each new row into jsonb once for both the audit row and the event (two
-- triggers each converted every row of a 5,000-row import chunk). Same rows
-- as 20261121007200 and 20261121008200 wrote.

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

drop trigger people_audit_inserted on public.people;
drop trigger people_timeline_inserted on public.people;
drop trigger people_events_inserted on public.people;
drop trigger companies_audit_inserted on public.companies;
drop trigger companies_timeline_inserted on public.companies;
drop trigger companies_events_inserted on public.companies;
drop trigger deals_audit_inserted on public.deals;
drop trigger deals_timeline_inserted on public.deals;
drop trigger deals_events_inserted on public.deals;
drop function private.audit_inserted();
drop function private.timeline_inserted();
drop function private.emit_inserted();

create trigger people_inserted after insert on public.people
  referencing new table as inserted for each statement execute function private.record_inserted('person');
create trigger companies_inserted after insert on public.companies
  referencing new table as inserted for each statement execute function private.record_inserted('company');
create trigger deals_inserted after insert on public.deals
  referencing new table as inserted for each statement execute function private.record_inserted('deal');
