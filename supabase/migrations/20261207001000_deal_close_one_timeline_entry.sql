-- Marking a deal won or lost changes its stage and its status in one update
-- (as does dragging it into a won or lost stage, or out of one): one act, so
-- one timeline item, the status change, which then also names the stages. A
-- move that leaves the status alone stays a stage change. Events are
-- unchanged: integrators subscribe to deal.moved and deal.won separately.
create or replace function private.record_updated() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
  reason text := private.change_reason();
  olds jsonb[];
  news jsonb[];
begin
  select array_agg(to_jsonb(o)), array_agg(to_jsonb(n)) into olds, news
  from old_rows o join new_rows n on n.id = o.id;
  if olds is null then
    return null;
  end if;
  with r as materialized (
    select * from private.updated_rows(olds, news)
  ), audited as (
    insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
    select r.org_id, actor, kind_of_actor, tg_table_name, r.id::text, 'update', d.diff
    from r
    cross join lateral (
      select jsonb_object_agg(e.key, jsonb_build_array(r.o -> e.key, e.value)) as diff
      from jsonb_each(private.audit_redact(r.n)) e
      where e.value is distinct from r.o -> e.key
    ) d
    where d.diff is not null
  ), emitted as (
    -- Per record: .archived or .restored, deal.moved, deal.won or deal.lost,
    -- .updated with the remaining changes (card reordering is not news to integrators).
    insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data, changes)
    select r.org_id, k.type, obj, r.id, actor, kind_of_actor, r.n, k.changes
    from r
    cross join lateral (
      select 1 as step, obj || case when r.n ->> 'archived_at' is null then '.restored' else '.archived' end as type,
             jsonb_build_object('archived_at', r.changes -> 'archived_at') as changes
      where r.changes ? 'archived_at'
      union all
      select 2, 'deal.moved',
             jsonb_build_object('stage_id', r.changes -> 'stage_id', 'pipeline_id', r.changes -> 'pipeline_id',
                                'position', r.changes -> 'position', 'status', r.changes -> 'status')
             || jsonb_build_object('reason', reason)
      where obj = 'deal' and r.changes ? 'stage_id'
      union all
      select 3, 'deal.' || (r.n ->> 'status'), jsonb_build_object('status', r.changes -> 'status')
      where obj = 'deal' and r.changes ? 'status' and r.n ->> 'status' in ('won', 'lost')
      union all
      select 4, obj || '.updated', rest.changes
      from (
        select r.changes - 'archived_at'
               - case when obj = 'deal' and r.changes ? 'stage_id'
                      then array['stage_id', 'pipeline_id', 'position', 'stage_entered_at'] else '{}'::text[] end
               - case when obj = 'deal' and r.changes ? 'status'
                      then array['status', 'closed_at', 'lost_reason'] else '{}'::text[] end
               - 'position' as changes
      ) rest
      where rest.changes <> '{}'
    ) k
    order by r.ord, k.step
  )
  -- Per record: archived or restored, stage_changed or status_changed
  -- (deals), updated. Items other than `updated` also show on the linked
  -- records' timelines: a deal's on its person and company (or the person's
  -- company), a person's on their company.
  insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                      person_id, company_id, deal_id, data)
  select r.org_id, k.kind, actor, kind_of_actor, obj, r.id,
         case when k.linked then l.person_id when obj = 'person' then r.id end,
         case when k.linked then l.company_id when obj = 'company' then r.id end,
         case when obj = 'deal' then r.id end,
         k.data
  from r
  cross join lateral (
    select case obj when 'person' then r.id when 'deal' then (r.n ->> 'person_id')::uuid end as person_id,
           case obj
             when 'company' then r.id
             when 'person' then (r.n ->> 'company_id')::uuid
             else coalesce((r.n ->> 'company_id')::uuid,
                           (select p.company_id from public.people p where p.id = (r.n ->> 'person_id')::uuid))
           end as company_id
  ) l
  cross join lateral (
    select 1 as step, case when r.n ->> 'archived_at' is null then 'restored' else 'archived' end as kind,
           '{}'::jsonb as data, true as linked
    where (r.o ->> 'archived_at') is distinct from (r.n ->> 'archived_at')
    union all
    select 2, 'stage_changed',
           jsonb_build_object(
             'from_stage_id', r.o ->> 'stage_id', 'to_stage_id', r.n ->> 'stage_id',
             'from_stage', (select s.name from public.pipeline_stages s where s.id = (r.o ->> 'stage_id')::uuid),
             'to_stage', (select s.name from public.pipeline_stages s where s.id = (r.n ->> 'stage_id')::uuid),
             'reason', reason),
           true
    where obj = 'deal' and (r.o ->> 'stage_id') is distinct from (r.n ->> 'stage_id')
      and (r.o ->> 'status') is not distinct from (r.n ->> 'status')
    union all
    select 3, 'status_changed',
           jsonb_build_object('from', r.o ->> 'status', 'to', r.n ->> 'status', 'reason', reason)
           || case when (r.o ->> 'stage_id') is distinct from (r.n ->> 'stage_id') then jsonb_build_object(
                'from_stage_id', r.o ->> 'stage_id', 'to_stage_id', r.n ->> 'stage_id',
                'from_stage', (select s.name from public.pipeline_stages s where s.id = (r.o ->> 'stage_id')::uuid),
                'to_stage', (select s.name from public.pipeline_stages s where s.id = (r.n ->> 'stage_id')::uuid))
              else '{}'::jsonb end,
           true
    where obj = 'deal' and (r.o ->> 'status') is distinct from (r.n ->> 'status')
    union all
    select 4, 'updated', jsonb_build_object('changes', u.changes), false
    from (select r.changes - array['archived_at', 'position', 'stage_id', 'status', 'stage_entered_at', 'closed_at',
                                   'full_name', 'lost_reason'] as changes) u
    where u.changes <> '{}'
  ) k
  order by r.ord, k.step;
  return null;
end
$$;
