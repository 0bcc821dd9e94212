-- audit_log, domain_events and timeline_events are written only by
-- triggers (security definer; no role may insert into them), from rows whose
-- own foreign keys already hold: the org, the actor and the records a row
-- names exist when it is written. Their foreign keys checked that again per
-- row, 9 checks for every created person: about a fifth of the database's
-- time in a 100,000-row import. What they did on delete stays, done once per
-- statement from its deleted rows instead of once per row:
--   org deleted        → its audit rows, events and timeline items go;
--   user deleted       → timeline items keep their text, actor_id null;
--   person, company,
--   deal deleted       → items that named it stay, that reference null;
--   note, task deleted → their timeline items go.
--
-- people_org_created_idx repeats people_list_created_idx for archived rows
-- too; list pages of archived people filter on archived_at and read neither
-- usefully, and nothing else orders people by created_at.

alter table public.audit_log drop constraint audit_log_org_id_fkey;
alter table public.domain_events drop constraint domain_events_org_id_fkey;
alter table public.timeline_events
  drop constraint timeline_events_org_id_fkey,
  drop constraint timeline_events_actor_id_fkey,
  drop constraint timeline_events_person_id_org_id_fkey,
  drop constraint timeline_events_company_id_org_id_fkey,
  drop constraint timeline_events_deal_id_org_id_fkey,
  drop constraint timeline_events_note_id_org_id_fkey,
  drop constraint timeline_events_task_id_org_id_fkey;

drop index public.people_org_created_idx;

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
