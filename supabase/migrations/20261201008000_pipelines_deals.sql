-- Pipelines, their ordered stages, deals, and the history of every stage and
-- status change. Role-restricted stages are enforced here, whatever the path.

create table public.pipelines (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 80),
  position int not null default 0,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id)
);
create index pipelines_org_idx on public.pipelines (org_id, position);
alter table public.pipelines enable row level security;

create table public.pipeline_stages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  pipeline_id uuid not null,
  name text not null check (length(btrim(name)) between 1 and 80),
  position int not null default 0,
  probability int not null default 0 check (probability between 0 and 100),
  is_won boolean not null default false,
  is_lost boolean not null default false,
  -- Empty: anyone may move deals into and out of the stage. Otherwise only
  -- these roles (owners and admins always may).
  restricted_roles public.org_role[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (not (is_won and is_lost)),
  unique (id, org_id),
  unique (id, pipeline_id, org_id),
  foreign key (pipeline_id, org_id) references public.pipelines (id, org_id) on delete cascade
);
create index pipeline_stages_pipeline_idx on public.pipeline_stages (pipeline_id, position);
create index pipeline_stages_org_idx on public.pipeline_stages (org_id);
alter table public.pipeline_stages enable row level security;

create type public.deal_status as enum ('open', 'won', 'lost');

create table public.deals (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  pipeline_id uuid not null,
  stage_id uuid not null,
  -- Order within the stage's Kanban column (fractional; the app renumbers).
  position double precision not null default 0,
  value_minor bigint not null default 0 check (value_minor >= 0),
  currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
  status public.deal_status not null default 'open',
  owner_id uuid,
  company_id uuid,
  person_id uuid,
  expected_close_date date,
  closed_at timestamptz,
  lost_reason text check (length(lost_reason) <= 500),
  stage_entered_at timestamptz not null default now(),
  tags text[] not null default '{}',
  custom jsonb not null default '{}',
  archived_at timestamptz,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  -- The stage belongs to the deal's pipeline, in the deal's org. A stage with
  -- deals cannot be deleted until they are moved.
  foreign key (stage_id, pipeline_id, org_id) references public.pipeline_stages (id, pipeline_id, org_id),
  foreign key (owner_id, org_id) references public.org_members (user_id, org_id) on delete set null (owner_id),
  foreign key (company_id, org_id) references public.companies (id, org_id) on delete set null (company_id),
  foreign key (person_id, org_id) references public.people (id, org_id) on delete set null (person_id)
);
create index deals_board_idx on public.deals (org_id, pipeline_id, stage_id, position, id) where archived_at is null;
create index deals_org_created_idx on public.deals (org_id, created_at desc, id desc);
create index deals_org_owner_idx on public.deals (org_id, owner_id);
create index deals_stage_idx on public.deals (stage_id);
create index deals_company_idx on public.deals (company_id) where company_id is not null;
create index deals_person_idx on public.deals (person_id) where person_id is not null;
create index deals_tags_idx on public.deals using gin (tags);
alter table public.deals enable row level security;

create table public.deal_stage_history (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  deal_id uuid not null,
  from_stage_id uuid references public.pipeline_stages (id) on delete set null,
  to_stage_id uuid references public.pipeline_stages (id) on delete set null,
  from_status public.deal_status,
  to_status public.deal_status not null,
  changed_by uuid references auth.users (id) on delete set null,
  reason text,
  changed_at timestamptz not null default now(),
  foreign key (deal_id, org_id) references public.deals (id, org_id) on delete cascade
);
create index deal_stage_history_deal_idx on public.deal_stage_history (deal_id, changed_at desc);
create index deal_stage_history_org_idx on public.deal_stage_history (org_id, changed_at desc);
alter table public.deal_stage_history enable row level security;

-- ---------------------------------------------------------------------------
-- Grants and policies. Pipelines and stages are settings (owners/admins).
-- ---------------------------------------------------------------------------
grant select on public.pipelines, public.pipeline_stages, public.deals, public.deal_stage_history to authenticated;
grant insert (id, org_id, name, position, archived_at) on public.pipelines to authenticated;
grant update (name, position, archived_at) on public.pipelines to authenticated;
grant delete on public.pipelines to authenticated;
grant insert (id, org_id, pipeline_id, name, position, probability, is_won, is_lost, restricted_roles)
  on public.pipeline_stages to authenticated;
grant update (name, position, probability, is_won, is_lost, restricted_roles) on public.pipeline_stages to authenticated;
grant delete on public.pipeline_stages to authenticated;
grant insert (id, org_id, name, pipeline_id, stage_id, position, value_minor, currency, status, owner_id, company_id,
              person_id, expected_close_date, lost_reason, tags, custom, archived_at)
  on public.deals to authenticated;
grant update (name, pipeline_id, stage_id, position, value_minor, currency, status, owner_id, company_id, person_id,
              expected_close_date, lost_reason, tags, custom, archived_at)
  on public.deals to authenticated;
grant delete on public.deals to authenticated;

create policy pipelines_select on public.pipelines for select to authenticated using (public.is_member_of(org_id));
create policy pipelines_insert on public.pipelines for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy pipelines_update on public.pipelines for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}')) with check (public.has_org_role(org_id, '{owner,admin}'));
create policy pipelines_delete on public.pipelines for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy pipeline_stages_select on public.pipeline_stages for select to authenticated using (public.is_member_of(org_id));
create policy pipeline_stages_insert on public.pipeline_stages for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy pipeline_stages_update on public.pipeline_stages for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}')) with check (public.has_org_role(org_id, '{owner,admin}'));
create policy pipeline_stages_delete on public.pipeline_stages for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy deals_select on public.deals for select to authenticated using (public.is_member_of(org_id));
create policy deals_insert on public.deals for insert to authenticated with check (public.is_member_of(org_id));
create policy deals_update on public.deals for update to authenticated
  using (public.is_member_of(org_id)) with check (public.is_member_of(org_id));
create policy deals_delete on public.deals for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy deal_stage_history_select on public.deal_stage_history for select to authenticated
  using (public.is_member_of(org_id));

-- ---------------------------------------------------------------------------
-- Deal rules
-- ---------------------------------------------------------------------------

-- Currency defaults to the org's; entering a won/lost stage sets the status,
-- leaving one reopens the deal; closed_at and stage_entered_at follow.
create function private.deal_defaults() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  stage record;
begin
  if not private.acts_for(new.org_id) then
    return new;
  end if;
  if new.currency is null then
    select o.default_currency into new.currency from public.orgs o where o.id = new.org_id;
  end if;
  if tg_op = 'INSERT' or new.stage_id is distinct from old.stage_id then
    select s.is_won, s.is_lost into stage from public.pipeline_stages s where s.id = new.stage_id;
    if stage.is_won then
      new.status := 'won';
    elsif stage.is_lost then
      new.status := 'lost';
    elsif tg_op = 'UPDATE' and new.status = old.status then
      new.status := 'open';
    end if;
    if tg_op = 'UPDATE' then
      new.stage_entered_at := now();
    end if;
  end if;
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    new.closed_at := case when new.status = 'open' then null else now() end;
    if new.status = 'lost' and new.lost_reason is null then
      new.lost_reason := private.change_reason();
    elsif new.status <> 'lost' then
      new.lost_reason := null;
    end if;
  end if;
  return new;
end
$$;

-- Who may move a deal into or out of a restricted stage. Trusted server work
-- is not restricted. A role passes only when it is listed: `<> all` would
-- let every role through a list holding a NULL.
create function private.guard_deal_stage() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  r public.org_role := private.current_org_role();
  s record;
begin
  if not private.is_end_user() or r in ('owner', 'admin') or not private.acts_for(new.org_id) then
    return new;
  end if;
  if tg_op = 'UPDATE' then
    if new.stage_id is not distinct from old.stage_id then
      return new;
    end if;
    select name, restricted_roles into s from public.pipeline_stages where id = old.stage_id;
    if cardinality(s.restricted_roles) > 0 and not coalesce(r = any (s.restricted_roles), false) then
      raise exception 'Your role cannot move deals out of the "%" stage', s.name
        using errcode = '42501', hint = 'stage_restricted';
    end if;
  end if;
  select name, restricted_roles into s from public.pipeline_stages where id = new.stage_id;
  if cardinality(s.restricted_roles) > 0 and not coalesce(r = any (s.restricted_roles), false) then
    raise exception 'Your role cannot move deals into the "%" stage', s.name
      using errcode = '42501', hint = 'stage_restricted';
  end if;
  return new;
end
$$;

create function private.record_deal_history() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' or new.stage_id is distinct from old.stage_id or new.status is distinct from old.status then
    insert into public.deal_stage_history (org_id, deal_id, from_stage_id, to_stage_id, from_status, to_status, changed_by, reason)
    values (new.org_id, new.id,
            case when tg_op = 'UPDATE' then old.stage_id end, new.stage_id,
            case when tg_op = 'UPDATE' then old.status end, new.status,
            auth.uid(), private.change_reason());
  end if;
  return null;
end
$$;

create trigger deals_touch before update on public.deals
  for each row execute function private.touch_updated_at();
create trigger deals_defaults before insert or update of stage_id, status on public.deals
  for each row execute function private.deal_defaults();
create trigger deals_guard_stage before insert or update of stage_id on public.deals
  for each row execute function private.guard_deal_stage();
create trigger deals_guard before update of archived_at, owner_id on public.deals
  for each row execute function private.guard_record_update();
create trigger deals_history after insert or update of stage_id, status on public.deals
  for each row execute function private.record_deal_history();

create trigger pipelines_touch before update on public.pipelines
  for each row execute function private.touch_updated_at();
create trigger pipelines_audit after insert or update or delete on public.pipelines
  for each row execute function private.audit();
create trigger pipeline_stages_touch before update on public.pipeline_stages
  for each row execute function private.touch_updated_at();
create trigger pipeline_stages_audit after insert or update or delete on public.pipeline_stages
  for each row execute function private.audit();

-- Every org starts with a sales pipeline.
create function private.create_default_pipeline() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  p uuid;
begin
  insert into public.pipelines (org_id, name, position) values (new.id, 'Sales', 0) returning id into p;
  insert into public.pipeline_stages (org_id, pipeline_id, name, position, probability, is_won, is_lost)
  values (new.id, p, 'Qualified', 0, 10, false, false),
         (new.id, p, 'Contact made', 1, 20, false, false),
         (new.id, p, 'Proposal sent', 2, 50, false, false),
         (new.id, p, 'Negotiation', 3, 75, false, false),
         (new.id, p, 'Won', 4, 100, true, false),
         (new.id, p, 'Lost', 5, 0, false, true);
  return null;
end
$$;
create trigger orgs_default_pipeline after insert on public.orgs
  for each row execute function private.create_default_pipeline();
