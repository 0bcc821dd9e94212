-- A lead is worked like a person before it is one: notes and tasks about it
-- on its timeline, and saved views of the leads list.

alter table public.saved_views drop constraint saved_views_object_type_check;
alter table public.saved_views add constraint saved_views_object_type_check
  check (object_type in ('person', 'company', 'deal', 'task', 'lead'));

-- A note is about exactly one record, a lead now among them; it goes with
-- its lead.
alter table public.notes add column lead_id uuid;
alter table public.notes add constraint notes_lead_id_org_id_fkey
  foreign key (lead_id, org_id) references public.leads (id, org_id) on delete cascade;
alter table public.notes drop constraint notes_check;
alter table public.notes add constraint notes_check check (num_nonnulls(person_id, company_id, deal_id, lead_id) = 1);
create index notes_lead_idx on public.notes (lead_id, created_at desc) where lead_id is not null;
grant insert (lead_id) on public.notes to authenticated;

-- A task outlives its lead, as it outlives a person.
alter table public.tasks add column lead_id uuid;
alter table public.tasks add constraint tasks_lead_id_org_id_fkey
  foreign key (lead_id, org_id) references public.leads (id, org_id) on delete set null (lead_id);
create index tasks_lead_idx on public.tasks (lead_id) where lead_id is not null;
grant insert (lead_id), update (lead_id) on public.tasks to authenticated;

-- Notes and tasks about a lead show on its timeline (lead_id), as those
-- about a person, company or deal show on theirs.
create or replace function private.note_timeline() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.lead_id is not null then
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id, note_id)
    values (new.org_id, 'note', auth.uid(), private.actor_type(), 'note', new.id, new.lead_id, new.id);
    return null;
  end if;
  perform private.timeline_add(new.org_id, 'note', 'note', new.id, new.person_id, new.company_id, new.deal_id,
                               '{}', new.id, null);
  return null;
end
$$;

create or replace function private.task_timeline() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  kind text := case when tg_op = 'INSERT' then 'task' else 'task_completed' end;
begin
  if tg_op = 'UPDATE' and not (new.status = 'done' and old.status <> 'done') then
    return null;
  end if;
  if num_nonnulls(new.person_id, new.company_id, new.deal_id) > 0 then
    perform private.timeline_add(new.org_id, kind, 'task', new.id, new.person_id, new.company_id, new.deal_id,
                                 '{}', null, new.id);
  elsif new.lead_id is not null then
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id, task_id)
    values (new.org_id, kind, auth.uid(), private.actor_type(), 'task', new.id, new.lead_id, new.id);
  end if;
  return null;
end
$$;

-- Custom fields of leads live in leads.custom: a removed option still in use
-- is refused, and a deleted definition takes its values, as for the others.
create or replace function private.guard_custom_field_options() returns trigger
language plpgsql set search_path = '' as $$
declare
  removed text;
  used bigint;
  tbl text := case new.object_type when 'person' then 'people' when 'company' then 'companies' when 'lead' then 'leads'
              else 'deals' end;
begin
  for removed in
    select o ->> 'value' from jsonb_array_elements(old.options) o
    except
    select o ->> 'value' from jsonb_array_elements(new.options) o
  loop
    execute format(
      'select count(*) from public.%I where org_id = $1 and custom @> $2', tbl)
      into used
      using new.org_id,
            case new.field_type
              when 'multi_select' then jsonb_build_object(new.key, jsonb_build_array(removed))
              else jsonb_build_object(new.key, removed)
            end;
    if used > 0 then
      raise exception 'The option "%" is used by % %; change those records first', removed, used,
        case when used = 1 then 'record' else 'records' end
        using errcode = '23514', hint = 'options';
    end if;
  end loop;
  return new;
end
$$;

create or replace function private.remove_custom_field_values() returns trigger
language plpgsql set search_path = '' as $$
declare
  tbl text := case old.object_type when 'person' then 'people' when 'company' then 'companies' when 'lead' then 'leads'
              else 'deals' end;
begin
  if not exists (select 1 from public.orgs where id = old.org_id) then
    return null;
  end if;
  execute format('update public.%I set custom = custom - $2 where org_id = $1 and custom ? $2', tbl)
    using old.org_id, old.key;
  return null;
end
$$;
