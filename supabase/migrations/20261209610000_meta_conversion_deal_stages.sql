-- Conversions API on deal stages: where leads become deals (cases) as they
-- arrive, the funnel Meta should learn from is the deal's, so a row of
-- meta_conversion_stages may name a pipeline stage instead of a lead status.
-- When a deal enters that stage by any path (the board, a form, the REST
-- API, a handoff), each Meta lead that became or joined the deal queues
-- one meta.send_conversion in the transaction of the move, keyed
-- `<lead>:<event>` as the lead-status signals are: Meta's lead id is the
-- lead's, and a deal that leaves the stage and comes back sends nothing
-- more. A lead that joins a deal already at a mapped stage queues it then.

alter table public.meta_conversion_stages
  add column stage_id uuid,
  add constraint meta_conversion_stages_stage_fkey foreign key (stage_id, org_id)
    references public.pipeline_stages (id, org_id) on delete cascade,
  add constraint meta_conversion_stages_one_trigger_check check (status is null or stage_id is null),
  drop constraint meta_conversion_stages_status_key;
alter table public.meta_conversion_stages
  add constraint meta_conversion_stages_status_key unique nulls not distinct (org_id, status, stage_id);
create index meta_conversion_stages_stage_idx on public.meta_conversion_stages (stage_id) where stage_id is not null;
grant insert (stage_id) on public.meta_conversion_stages to authenticated;

-- The lead's own signals, and its deal's current stage when it joins one.
create or replace function private.enqueue_meta_conversions() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  stage record;
  joined boolean := new.deal_id is not null and (tg_op = 'INSERT' or new.deal_id is distinct from old.deal_id);
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
           or (m.status is null and m.stage_id is null and new.converted_at is not null
               and (tg_op = 'INSERT' or old.converted_at is null))
           or (joined and m.stage_id = (select d.stage_id from public.deals d where d.id = new.deal_id)))
  loop
    perform private.enqueue_job('meta.send_conversion',
                                jsonb_build_object('lead_id', new.id, 'event_name', stage.event_name),
                                new.org_id, new.id || ':' || stage.event_name, max_attempts => 5);
  end loop;
  return null;
end
$$;

drop trigger leads_meta_conversions on public.leads;
create trigger leads_meta_conversions after insert or update of status, converted_at, deal_id on public.leads
  for each row when (new.source = 'meta' and new.external_id is not null)
  execute function private.enqueue_meta_conversions();

create function private.enqueue_deal_meta_conversions() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  sig record;
begin
  if tg_op = 'UPDATE' and new.stage_id is not distinct from old.stage_id then
    return null;
  end if;
  if not exists (select 1 from public.meta_conversion_stages m where m.org_id = new.org_id and m.stage_id = new.stage_id) then
    return null;
  end if;
  for sig in
    select distinct l.id as lead_id, m.event_name
    from public.meta_conversion_stages m
    join public.leads l on l.org_id = new.org_id and l.deal_id = new.id
    join public.meta_pages p on p.org_id = l.org_id and p.page_id = l.attribution ->> 'page_id'
    where m.org_id = new.org_id and m.stage_id = new.stage_id
      and l.source = 'meta' and l.external_id ~ '^[0-9]+$' and p.conversions_dataset_id is not null
  loop
    perform private.enqueue_job('meta.send_conversion',
                                jsonb_build_object('lead_id', sig.lead_id, 'event_name', sig.event_name),
                                new.org_id, sig.lead_id || ':' || sig.event_name, max_attempts => 5);
  end loop;
  return null;
end
$$;
revoke all on function private.enqueue_deal_meta_conversions() from public;
create trigger deals_meta_conversions after insert or update of stage_id on public.deals
  for each row execute function private.enqueue_deal_meta_conversions();
