-- Teams: named groups of an org's members (Intake and Case management, SDRs
-- and AEs) that stage restrictions, numbers and routing name besides roles.
--
-- Every member reads the teams and who is in them; owners and admins make,
-- rename, archive and staff them (Settings → Teams). A member is in any
-- number of teams, and leaves them all when they leave the org. An archived
-- team is kept for what it meant but counts for nothing: its members are no
-- longer in it for any rule (public.member_teams()).

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (length(name) between 1 and 80 and name = btrim(name)),
  description text not null default '' check (length(description) <= 500),
  archived_at timestamptz,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id)
);
-- Archived teams keep their names: restoring one never collides.
create unique index teams_org_name_key on public.teams (org_id, lower(name));
alter table public.teams enable row level security;

create table public.team_members (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  team_id uuid not null,
  user_id uuid not null,
  added_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  unique (team_id, user_id),
  foreign key (team_id, org_id) references public.teams (id, org_id) on delete cascade,
  -- Someone who leaves the org leaves their teams.
  foreign key (user_id, org_id) references public.org_members (user_id, org_id) on delete cascade
);
create index team_members_user_idx on public.team_members (user_id, team_id);
create index team_members_org_idx on public.team_members (org_id);
alter table public.team_members enable row level security;

grant select on public.teams, public.team_members to authenticated;
grant insert (org_id, name, description) on public.teams to authenticated;
grant update (name, description, archived_at) on public.teams to authenticated;
grant delete on public.teams to authenticated;
grant insert (org_id, team_id, user_id) on public.team_members to authenticated;
grant delete on public.team_members to authenticated;
grant select on public.teams, public.team_members to service_role;

create policy teams_select on public.teams for select to authenticated
  using (public.is_member_of(org_id));
create policy teams_insert on public.teams for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy teams_update on public.teams for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy teams_delete on public.teams for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy team_members_select on public.team_members for select to authenticated
  using (public.is_member_of(org_id));
create policy team_members_insert on public.team_members for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy team_members_delete on public.team_members for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger teams_touch before update on public.teams
  for each row execute function private.touch_updated_at();
create trigger teams_audit after insert or update or delete on public.teams
  for each row execute function private.audit();
create trigger team_members_audit after insert or update or delete on public.team_members
  for each row execute function private.audit();

-- The caller's active teams (a signed-in member's, or an API key's member's),
-- read past RLS, for policies and triggers. Stable: evaluated once per
-- statement.
create function public.member_teams() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(tm.team_id order by tm.team_id), '{}')
  from public.team_members tm
  join public.teams t on t.id = tm.team_id and t.archived_at is null
  where tm.user_id = auth.uid() and tm.org_id = private.current_org_id()
$$;
revoke all on function public.member_teams() from public;
grant execute on function public.member_teams() to authenticated, service_role;

create function private.is_in_team(team uuid) returns boolean
language sql stable set search_path = '' as $$
  select team = any (public.member_teams())
$$;
revoke all on function private.is_in_team(uuid) from public;
grant execute on function private.is_in_team(uuid) to authenticated, service_role;
