-- Important dates of a deal (modules/crm/dates): a medical screening, a
-- contract's end, a renewal, each a calendar date with its kind and a note,
-- and how many days before it the deal's owner is reminded.
--
-- A date is part of its deal: whoever may change the deal may change its
-- dates, and nobody else. The database asks the deal itself rather than
-- restating its rules: a write to a date takes the deal's row lock as the
-- writer (select … for no key update), which Postgres grants only through
-- the deal's UPDATE policies, so a rule a later migration puts there (a case
-- locked to the case-management side) holds for its dates too.
--
-- Kinds are the org's data, not a fixed list: `deal_date_kinds` holds the
-- ones its forms suggest, each with the reminder it starts with, seeded by
-- the org's template; a date keeps the kind's name as written, so renaming
-- or dropping a suggestion never rewrites history.

create table public.deal_date_kinds (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (name = btrim(name) and length(name) between 1 and 60),
  remind_days_before smallint check (remind_days_before between 0 and 365),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index deal_date_kinds_name_key on public.deal_date_kinds (org_id, lower(name));
alter table public.deal_date_kinds enable row level security;

grant select on public.deal_date_kinds to authenticated;
grant insert (org_id, name, remind_days_before, position) on public.deal_date_kinds to authenticated;
grant update (name, remind_days_before, position) on public.deal_date_kinds to authenticated;
grant delete on public.deal_date_kinds to authenticated;
grant all on public.deal_date_kinds to service_role;
create policy deal_date_kinds_select on public.deal_date_kinds for select to authenticated
  using (public.is_member_of(org_id));
create policy deal_date_kinds_insert on public.deal_date_kinds for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy deal_date_kinds_update on public.deal_date_kinds for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy deal_date_kinds_delete on public.deal_date_kinds for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));
create trigger deal_date_kinds_touch before update on public.deal_date_kinds
  for each row execute function private.touch_updated_at();
create trigger deal_date_kinds_audit after insert or update or delete on public.deal_date_kinds
  for each row execute function private.audit();

create table public.deal_dates (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  deal_id uuid not null,
  kind text not null check (kind = btrim(kind) and length(kind) between 1 and 60),
  date date not null check (date between '1900-01-01' and '2999-12-31'),
  note text check (length(note) <= 1000),
  -- Null: no reminder. 0: on the day.
  remind_days_before smallint check (remind_days_before between 0 and 365),
  -- The reminder day (date - remind_days_before) last reminded of, written by
  -- the reminder job: a re-run finds it and sends nothing, a moved date or a
  -- changed reminder names another day and is reminded of again.
  reminded_for date,
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (deal_id, org_id) references public.deals (id, org_id) on delete cascade,
  foreign key (created_by, org_id) references public.org_members (user_id, org_id) on delete set null (created_by)
);
create index deal_dates_deal_idx on public.deal_dates (deal_id, date);
create index deal_dates_org_date_idx on public.deal_dates (org_id, date);
create index deal_dates_created_by_idx on public.deal_dates (created_by);
-- The reminder job's scan: dates with a reminder, by day, across orgs.
create index deal_dates_remind_idx on public.deal_dates (date) where remind_days_before is not null;
alter table public.deal_dates enable row level security;

grant select on public.deal_dates to authenticated;
grant insert (org_id, deal_id, kind, date, note, remind_days_before, created_by) on public.deal_dates to authenticated;
grant update (kind, date, note, remind_days_before) on public.deal_dates to authenticated;
grant delete on public.deal_dates to authenticated;
grant all on public.deal_dates to service_role;
-- A date is seen with its deal: one the member may not see (a case hidden
-- from intake) hides its dates too.
create policy deal_dates_select on public.deal_dates for select to authenticated
  using (public.is_member_of(org_id) and exists (select 1 from public.deals d where d.id = deal_id));
create policy deal_dates_insert on public.deal_dates for insert to authenticated
  with check (public.is_member_of(org_id) and created_by = (select auth.uid()));
create policy deal_dates_update on public.deal_dates for update to authenticated
  using (public.is_member_of(org_id))
  with check (public.is_member_of(org_id));
create policy deal_dates_delete on public.deal_dates for delete to authenticated
  using (public.is_member_of(org_id));

-- Runs as the writer (security invoker), so the lock is asked for under the
-- writer's privileges and the deal's UPDATE policies. Jobs (service_role),
-- migrations and the foreign key's cascade when a deal is deleted (which
-- Postgres runs as the table's owner) pass.
create function private.guard_deal_date() returns trigger
language plpgsql set search_path = '' as $$
declare
  target_deal uuid := case when tg_op = 'DELETE' then old.deal_id else new.deal_id end;
  target_org uuid := case when tg_op = 'DELETE' then old.org_id else new.org_id end;
begin
  if current_user <> 'authenticated' then
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  perform 1 from public.deals d where d.id = target_deal and d.org_id = target_org for no key update;
  if not found then
    raise exception 'You cannot change the dates of this deal'
      using errcode = '42501', hint = 'deal_locked';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;

create trigger deal_dates_guard before insert or update or delete on public.deal_dates
  for each row execute function private.guard_deal_date();
create trigger deal_dates_touch before update of kind, date, note, remind_days_before on public.deal_dates
  for each row execute function private.touch_updated_at();
create trigger deal_dates_audit after insert or delete or update of kind, date, note, remind_days_before on public.deal_dates
  for each row execute function private.audit();

-- The deal's timeline says when a date was added, changed (what, from and
-- to) or removed. A date leaving with its deleted deal says nothing.
create function private.deal_date_timeline() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  changes jsonb := '{}';
begin
  if tg_op = 'INSERT' then
    perform private.timeline_add(new.org_id, 'date_added', 'deal', new.deal_id, null, null, new.deal_id,
      jsonb_build_object('date_id', new.id, 'kind', new.kind, 'date', new.date, 'note', new.note));
  elsif tg_op = 'UPDATE' then
    if new.kind is distinct from old.kind then
      changes := changes || jsonb_build_object('kind', jsonb_build_array(old.kind, new.kind));
    end if;
    if new.date is distinct from old.date then
      changes := changes || jsonb_build_object('date', jsonb_build_array(old.date, new.date));
    end if;
    if new.note is distinct from old.note then
      changes := changes || jsonb_build_object('note', jsonb_build_array(old.note, new.note));
    end if;
    if new.remind_days_before is distinct from old.remind_days_before then
      changes := changes || jsonb_build_object('remind_days_before', jsonb_build_array(old.remind_days_before, new.remind_days_before));
    end if;
    if changes <> '{}' then
      perform private.timeline_add(new.org_id, 'date_changed', 'deal', new.deal_id, null, null, new.deal_id,
        jsonb_build_object('date_id', new.id, 'kind', new.kind, 'date', new.date, 'changes', changes));
    end if;
  elsif exists (select 1 from public.deals d where d.id = old.deal_id) then
    perform private.timeline_add(old.org_id, 'date_removed', 'deal', old.deal_id, null, null, old.deal_id,
      jsonb_build_object('date_id', old.id, 'kind', old.kind, 'date', old.date));
  end if;
  return null;
end
$$;
create trigger deal_dates_timeline after insert or delete or update of kind, date, note, remind_days_before on public.deal_dates
  for each row execute function private.deal_date_timeline();

-- The kinds a template starts an org with: the template's own data, for a
-- new org (the trigger below, in the sign-up transaction beside
-- private.apply_org_template) and for the orgs that exist already. Adds
-- only the names the org lacks. Its own trigger rather than a section of
-- apply_org_template: slices later in the migration order restate that
-- function whole, and would drop a section written before them.
create function private.seed_deal_date_kinds(org uuid, template text) returns void
language sql security definer set search_path = '' as $$
  insert into public.deal_date_kinds (org_id, name, remind_days_before, position)
  select org, k.name, k.remind, k.position
    from (values
      ('surrogacy', 'Medical screening', 3, 1),
      ('surrogacy', 'Psychological screening', 3, 2),
      ('surrogacy', 'Legal clearance', 7, 3),
      ('surrogacy', 'Contract signed', null, 4),
      ('surrogacy', 'Embryo transfer', 7, 5),
      ('surrogacy', 'Pregnancy confirmation', 3, 6),
      ('surrogacy', 'Due date', 14, 7),
      ('sales', 'Renewal', 30, 1),
      ('sales', 'Contract end', 30, 2),
      ('sales', 'Decision date', 3, 3),
      ('sales', 'Kick-off', 1, 4)
    ) as k (template, name, remind, position)
   where k.template = case when seed_deal_date_kinds.template = 'surrogacy' then 'surrogacy' else 'sales' end
     and not exists (select 1 from public.deal_date_kinds e where e.org_id = org and lower(e.name) = lower(k.name));
$$;
revoke all on function private.seed_deal_date_kinds(uuid, text) from public;

create function private.seed_new_org_deal_date_kinds() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.seed_deal_date_kinds(new.id, new.template);
  return null;
end
$$;
create trigger orgs_seed_deal_date_kinds after insert on public.orgs
  for each row execute function private.seed_new_org_deal_date_kinds();

select private.seed_deal_date_kinds(id, template) from public.orgs;
