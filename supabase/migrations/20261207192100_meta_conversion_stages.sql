-- Conversions API on the org's own stages, sent as they happen.
--
-- meta_conversion_stages says which lead statuses (and Convert) report which
-- Meta CRM event name. It is the org's, like the statuses it names: one
-- funnel whichever page a lead came from, while each page keeps its own
-- dataset. Every org starts with what Covey sent before: qualified, won and
-- converted under their own names.
--
-- A Meta lead that enters a mapped status (or is converted) queues one
-- meta.send_conversion job in the transaction of the change, keyed
-- `<lead>:<event>`, so the event is sent once however often the lead comes
-- back to the stage, and within seconds instead of on the next poll. The
-- every-minute poll becomes a quarter-hourly catch-up for what no change
-- queued: leads that reached a stage before their page had a dataset or
-- before the stage was mapped, and sends whose job was dead-lettered while
-- Meta was down (their key is taken, so only the catch-up tries again).

create table public.meta_conversion_stages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  -- The lead status whose leads are reported; null: converted leads.
  status text,
  -- Meta's name for the CRM stage; `<lead id>:<event name>` is the event id, at most 100 characters.
  event_name text not null check (event_name = btrim(event_name) and length(event_name) between 1 and 50),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint meta_conversion_stages_status_key unique nulls not distinct (org_id, status),
  foreign key (org_id, status) references public.lead_statuses (org_id, key) on delete cascade
);
create index meta_conversion_stages_org_idx on public.meta_conversion_stages (org_id);
alter table public.meta_conversion_stages enable row level security;

grant select on public.meta_conversion_stages to authenticated, service_role;
grant insert (org_id, status, event_name) on public.meta_conversion_stages to authenticated;
grant update (event_name) on public.meta_conversion_stages to authenticated;
grant delete on public.meta_conversion_stages to authenticated;
create policy meta_conversion_stages_select on public.meta_conversion_stages for select to authenticated
  using (public.is_member_of(org_id));
create policy meta_conversion_stages_insert on public.meta_conversion_stages for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy meta_conversion_stages_update on public.meta_conversion_stages for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}')) with check (public.has_org_role(org_id, '{owner,admin}'));
create policy meta_conversion_stages_delete on public.meta_conversion_stages for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger meta_conversion_stages_touch before update on public.meta_conversion_stages
  for each row execute function private.touch_updated_at();
create trigger meta_conversion_stages_audit after insert or update or delete on public.meta_conversion_stages
  for each row execute function private.audit();

create function private.seed_meta_conversion_stages(org uuid) returns void
language sql security definer set search_path = '' as $$
  insert into public.meta_conversion_stages (org_id, status, event_name)
  values (org, 'qualified', 'qualified'), (org, 'won', 'won'), (org, null, 'converted')
  on conflict on constraint meta_conversion_stages_status_key do nothing;
$$;

-- After orgs_default_lead_settings (triggers fire by name), which makes the statuses named here.
create function private.create_default_meta_conversion_stages() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.seed_meta_conversion_stages(new.id);
  return null;
end
$$;
create trigger orgs_meta_conversion_stages after insert on public.orgs
  for each row execute function private.create_default_meta_conversion_stages();

select private.seed_meta_conversion_stages(id) from public.orgs;

-- The log names any stage the org maps, and outlives a deleted lead: it is
-- the record of what Meta was told (Meta keeps the event either way), and it
-- holds no personal data, only the lead's id and Meta's answer. So a deleted
-- lead leaves its log rows without a lead rather than taking them along.
alter table public.meta_conversion_events drop constraint meta_conversion_events_event_name_check;
alter table public.meta_conversion_events
  add constraint meta_conversion_events_event_name_check check (length(event_name) between 1 and 50);
alter table public.meta_conversion_events alter column lead_id drop not null;
update public.meta_conversion_events c set lead_id = null
 where lead_id is not null and not exists (select 1 from public.leads l where l.id = c.lead_id and l.org_id = c.org_id);
alter table public.meta_conversion_events
  add constraint meta_conversion_events_lead_fkey foreign key (lead_id, org_id)
  references public.leads (id, org_id) on delete set null (lead_id);
create index meta_conversion_events_lead_idx on public.meta_conversion_events (lead_id) where lead_id is not null;

create function private.enqueue_meta_conversions() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  stage record;
begin
  if new.external_id !~ '^[0-9]+$'
     or not exists (select 1 from public.meta_pages p
                    where p.org_id = new.org_id and p.page_id = new.attribution ->> 'page_id'
                      and p.conversions_dataset_id is not null) then
    return null;
  end if;
  for stage in
    select distinct m.event_name from public.meta_conversion_stages m
    where m.org_id = new.org_id
      and ((m.status = new.status and (tg_op = 'INSERT' or new.status is distinct from old.status))
           or (m.status is null and new.converted_at is not null and (tg_op = 'INSERT' or old.converted_at is null)))
  loop
    perform private.enqueue_job('meta.send_conversion',
                                jsonb_build_object('lead_id', new.id, 'event_name', stage.event_name),
                                new.org_id, new.id || ':' || stage.event_name, max_attempts => 5);
  end loop;
  return null;
end
$$;
revoke all on function private.enqueue_meta_conversions() from public;
create trigger leads_meta_conversions after insert or update of status, converted_at on public.leads
  for each row when (new.source = 'meta' and new.external_id is not null)
  execute function private.enqueue_meta_conversions();

update private.job_schedules set every = '15 minutes' where name = 'meta.send_conversions';
