-- The `created` timeline items and `*.created` domain events of a
-- multi-row insert (an import writes 100k people in a few statements) name
-- the same actor on every row: read it from the request claims once per
-- statement. private.actor_type() and auth.uid() parse the claims JSON on
-- every call, and a function with its own search_path is never inlined, so
-- per row they cost more than the rest of the row's work.
--
-- Same rows as before (20261121001400); private.audit_inserted() is left to
-- its later definition (20261121008000).

create or replace function private.timeline_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
begin
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

create or replace function private.emit_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
begin
  insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data, changes)
  select i.org_id, obj || '.created', obj, i.id, actor, kind_of_actor, to_jsonb(i), '{}'
  from inserted i;
  return null;
end
$$;
