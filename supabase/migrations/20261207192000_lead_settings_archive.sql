-- Settings → Leads: owners and admins add, rename, reorder and archive the
-- org's lead sources and statuses. An archived source or status stays on the
-- leads that have it and in filters, and is refused for a lead that does not
-- have it yet. A status is archived only once no lead has it (the settings
-- move its leads to another status first), so every lead's status is one the
-- team can still choose.
--
-- The built-in ones are renamed, never archived, and built-in statuses keep
-- their category: Covey's channels write the built-in sources, routing writes
-- `new` and `routed`, and the Conversions API and reports read `won` and
-- `lost` as outcomes.

alter table public.lead_statuses add column archived_at timestamptz;
grant update (archived_at) on public.lead_statuses to authenticated;

create function private.guard_lead_source() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.built_in and new.archived_at is not null then
    raise exception 'Covey writes this source itself; rename it instead of archiving it'
      using errcode = '23514', hint = 'archived_at';
  end if;
  return new;
end
$$;
create trigger lead_sources_guard before update of archived_at on public.lead_sources
  for each row execute function private.guard_lead_source();

create function private.guard_lead_status() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.built_in and new.category is distinct from old.category then
    raise exception 'A built-in status keeps its category' using errcode = '23514', hint = 'category';
  end if;
  if old.built_in and new.archived_at is not null then
    raise exception 'Covey uses this status itself; rename it instead of archiving it'
      using errcode = '23514', hint = 'archived_at';
  end if;
  if new.archived_at is not null and old.archived_at is null
     and exists (select 1 from public.leads l where l.org_id = new.org_id and l.status = new.key) then
    raise exception 'Move the leads with the status "%" to another status before archiving it', new.label
      using errcode = '23514', hint = 'archived_at';
  end if;
  return new;
end
$$;
create trigger lead_statuses_guard before update of category, archived_at on public.lead_statuses
  for each row execute function private.guard_lead_status();

-- A lead takes a source or status that is archived only by keeping it. FOR
-- SHARE waits for an archive of the same status in flight, whose check then
-- sees this lead.
create function private.lead_settings_active() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if (tg_op = 'INSERT' or new.status is distinct from old.status)
     and exists (select 1 from public.lead_statuses s
                 where s.org_id = new.org_id and s.key = new.status and s.archived_at is not null for share) then
    raise exception 'The status "%" is archived; choose another', private.lead_status_label(new.org_id, new.status)
      using errcode = '23514', hint = 'status';
  end if;
  if (tg_op = 'INSERT' or new.source is distinct from old.source)
     and exists (select 1 from public.lead_sources s
                 where s.org_id = new.org_id and s.key = new.source and s.archived_at is not null) then
    raise exception 'The source "%" is archived; choose another',
      (select s.label from public.lead_sources s where s.org_id = new.org_id and s.key = new.source)
      using errcode = '23514', hint = 'source';
  end if;
  return new;
end
$$;
create trigger leads_settings_active before insert or update of status, source on public.leads
  for each row execute function private.lead_settings_active();
