-- Pipelines whose deals are each about one person (a surrogacy agency's
-- cases, its intended parents): "New" asks for the person first and creates
-- the person and the deal together, and a person has at most one open,
-- active deal on such a pipeline, whatever the path (form, REST API, import,
-- a lead arriving as a case, a move, a restore or a reopening). Closed and
-- archived deals do not count: a surrogate declined last year may apply
-- again, and a lead from someone whose case is open joins that case
-- (20261209600000_lead_source_deals) rather than opening a second one.

alter table public.pipelines add column person_required boolean not null default false;
grant insert (person_required), update (person_required) on public.pipelines to authenticated;

-- The refusal names the deal already there (HINT person_deal, DETAIL its id)
-- so the app can link to it. Concurrent writes for one person and pipeline
-- queue on an advisory lock held to commit; the check after it sees the
-- other's committed row (each statement of a function takes a new snapshot).
create function private.guard_one_deal_per_person() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  other record;
  noun text;
begin
  if new.person_id is null or new.archived_at is not null or new.status <> 'open'
     or not coalesce((select p.person_required from public.pipelines p where p.id = new.pipeline_id), false) then
    return new;
  end if;
  if tg_op = 'UPDATE' and new.person_id is not distinct from old.person_id and new.pipeline_id is not distinct from old.pipeline_id
     and old.archived_at is null and old.status = 'open' then
    return new;
  end if;
  perform pg_advisory_xact_lock(hashtextextended('deal_person:' || new.pipeline_id::text || new.person_id::text, 0));
  select d.id, d.name, d.number into other
  from public.deals d
  where d.pipeline_id = new.pipeline_id and d.person_id = new.person_id and d.archived_at is null and d.status = 'open'
    and d.id <> new.id
  limit 1;
  if found then
    select lower(coalesce(p.noun_singular, 'deal')) || ' on ' || p.name into noun from public.pipelines p where p.id = new.pipeline_id;
    raise exception 'This person already has an open %: %', noun,
      case when other.number is null then '"' || other.name || '"'
           else 'No. ' || lpad(other.number::text, greatest(5, length(other.number::text)), '0') || ' "' || other.name || '"' end
      using errcode = '23505', hint = 'person_deal', detail = other.id::text;
  end if;
  return new;
end
$$;
-- After deals_defaults (triggers fire by name), which sets the status a stage implies.
create trigger deals_one_per_person before insert or update of person_id, pipeline_id, archived_at, status, stage_id on public.deals
  for each row execute function private.guard_one_deal_per_person();

create index deals_pipeline_person_idx on public.deals (pipeline_id, person_id) where archived_at is null and status = 'open' and person_id is not null;
