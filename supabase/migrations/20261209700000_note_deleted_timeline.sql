-- A deleted note leaves a "deleted a note" item where it was (who, when),
-- so a record's activity log says a note went, not only that it is gone.
-- The note's own item still goes with it (timeline_reference_deleted), and
-- nothing of its text is kept: deleting a note is how a member takes words
-- back. A note deleted because its record (or org) was deleted leaves
-- nothing: there is no timeline left to tell.

create function private.note_deleted_timeline() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  n record;
begin
  -- An org's own deletion takes its notes with it: nothing to tell there.
  for n in select d.* from deleted d where exists (select 1 from public.orgs o where o.id = d.org_id) loop
    if n.lead_id is not null then
      if exists (select 1 from public.leads l where l.id = n.lead_id) then
        insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id)
        values (n.org_id, 'note_deleted', auth.uid(), private.actor_type(), 'note', n.id, n.lead_id);
      end if;
    elsif exists (select 1 from public.people p where p.id = n.person_id)
       or exists (select 1 from public.companies c where c.id = n.company_id)
       or exists (select 1 from public.deals d where d.id = n.deal_id) then
      perform private.timeline_add(n.org_id, 'note_deleted', 'note', n.id, n.person_id, n.company_id, n.deal_id);
    end if;
  end loop;
  return null;
end
$$;
revoke all on function private.note_deleted_timeline() from public;

create trigger notes_timeline_deleted_item after delete on public.notes
  referencing old table as deleted for each statement execute function private.note_deleted_timeline();
