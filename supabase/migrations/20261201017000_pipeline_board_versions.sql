-- Open Kanban boards poll for other people's changes every few seconds.
-- Working out whether a board changed by aggregating its pipeline's deals
-- cost about 35 ms a poll on a 5,000-open-deal pipeline. Instead, every
-- transaction that writes a pipeline's deals or stages bumps the pipeline's
-- counter once, and a poll reads one row.
--
-- The counter is bumped as the transaction commits (a deferred constraint
-- trigger), not when the statement runs: its row lock is then held for the
-- commit only, so an import writing deals for seconds does not hold up moves
-- on the same board meanwhile. Each statement notes the pipelines it touched
-- in private.board_changes (its own rows are invisible to everyone else until
-- commit, and gone by then); the first deferred call of the transaction takes
-- them all and bumps each pipeline once, in pipeline order, so two committing
-- transactions lock counters in the same order.
--
-- No audit trigger: the counter is derived from writes the audit log already
-- records.

create table public.pipeline_board_versions (
  pipeline_id uuid primary key,
  org_id uuid not null,
  version bigint not null,
  foreign key (pipeline_id, org_id) references public.pipelines (id, org_id) on delete cascade
);
create index pipeline_board_versions_org_idx on public.pipeline_board_versions (org_id);
alter table public.pipeline_board_versions enable row level security;
grant select on public.pipeline_board_versions to authenticated;
create policy pipeline_board_versions_select on public.pipeline_board_versions for select to authenticated
  using (public.is_member_of(org_id));

create table private.board_changes (
  pipeline_id uuid not null
);
-- It holds no org_id and no tenant data: only pipeline ids a transaction
-- touched, written and emptied within that transaction by the
-- security-definer triggers that own it. No role is granted access to it;
-- row-level security with no policy makes that explicit: anyone but its
-- owner (the triggers) sees and writes nothing.
alter table private.board_changes enable row level security;

create function private.note_board_change() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    insert into private.board_changes (pipeline_id) select distinct pipeline_id from new_rows;
  elsif tg_op = 'DELETE' then
    insert into private.board_changes (pipeline_id) select distinct pipeline_id from old_rows;
  else
    insert into private.board_changes (pipeline_id)
    select pipeline_id from new_rows union select pipeline_id from old_rows;
  end if;
  return null;
end
$$;

create function private.bump_board_versions() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- A pipeline deleted in the same transaction has no board left to bump.
  with done as (delete from private.board_changes returning pipeline_id)
  insert into public.pipeline_board_versions as v (pipeline_id, org_id, version)
  select p.id, p.org_id, 1 from public.pipelines p
  where p.id in (select pipeline_id from done)
  order by p.id
  on conflict (pipeline_id) do update set version = v.version + 1;
  return null;
end
$$;

create constraint trigger board_changes_commit after insert on private.board_changes
  deferrable initially deferred
  for each row execute function private.bump_board_versions();

create trigger deals_board_inserted after insert on public.deals
  referencing new table as new_rows
  for each statement execute function private.note_board_change();
create trigger deals_board_updated after update on public.deals
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.note_board_change();
create trigger deals_board_deleted after delete on public.deals
  referencing old table as old_rows
  for each statement execute function private.note_board_change();

create trigger pipeline_stages_board_inserted after insert on public.pipeline_stages
  referencing new table as new_rows
  for each statement execute function private.note_board_change();
create trigger pipeline_stages_board_updated after update on public.pipeline_stages
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.note_board_change();
create trigger pipeline_stages_board_deleted after delete on public.pipeline_stages
  referencing old table as old_rows
  for each statement execute function private.note_board_change();
