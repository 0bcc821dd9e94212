-- The audit rows of a multi-row insert name one actor: read it from the
-- request claims once per statement, as the timeline and event triggers do
-- (20261121007200). Same rows as 20261121008000's definition.
create or replace function private.audit_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
begin
  insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
  select i.org_id, actor, kind_of_actor, tg_table_name, i.id::text, 'insert', private.audit_redact(to_jsonb(i))
  from inserted i;
  return null;
end
$$;
