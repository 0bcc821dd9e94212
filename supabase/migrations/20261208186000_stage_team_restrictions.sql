-- Stages restricted to teams as well as roles, so one team hands work to
-- another (intake to case management, SDRs to AEs) whatever their roles.
--
-- A stage's two lists name who may move deals into and out of it: a move is
-- allowed when both lists are empty, or the mover's role is in
-- restricted_roles, or the mover is in one of restricted_team_ids' (active)
-- teams. Owners and admins always may, and trusted server work is not
-- restricted. The same trigger as before enforces it on every path: the
-- board, the REST API and direct SQL as the member.
--
-- A team named by a stage cannot be archived or deleted until the stage
-- stops naming it: a restriction whose team went away would silently hand
-- the stage to owners and admins only.

alter table public.pipeline_stages
  add column restricted_team_ids uuid[] not null default '{}'
    check (cardinality(restricted_team_ids) <= 50 and array_position(restricted_team_ids, null) is null);
grant insert (restricted_team_ids), update (restricted_team_ids) on public.pipeline_stages to authenticated;

-- The listed teams are active teams of the stage's org, each once. They are
-- share-locked until the commit, so a concurrent archive or delete of one
-- waits and then sees the stage naming it.
create function private.check_stage_teams() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.restricted_team_ids := array(select distinct t from unnest(new.restricted_team_ids) t order by 1);
  if cardinality(new.restricted_team_ids) = 0 then
    return new;
  end if;
  perform 1 from public.teams x where x.id = any (new.restricted_team_ids) and x.org_id = new.org_id for share;
  if exists (select 1 from unnest(new.restricted_team_ids) t
             where not exists (select 1 from public.teams x
                               where x.id = t and x.org_id = new.org_id and x.archived_at is null)) then
    raise exception 'The "%" stage can only be restricted to active teams of this workspace', new.name
      using errcode = '23514', hint = 'restrictedTeamIds';
  end if;
  return new;
end
$$;
create trigger pipeline_stages_check_teams before insert or update of restricted_team_ids on public.pipeline_stages
  for each row execute function private.check_stage_teams();

create function private.guard_team_stages() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  stage text;
begin
  if tg_op = 'UPDATE' and (new.archived_at is null or old.archived_at is not null) then
    return new;
  end if;
  -- Deleting the org takes its stages with it.
  if tg_op = 'DELETE' and not exists (select 1 from public.orgs where id = old.org_id) then
    return old;
  end if;
  select format('"%s" (%s)', s.name, p.name) into stage
  from public.pipeline_stages s join public.pipelines p on p.id = s.pipeline_id
  where s.org_id = old.org_id and old.id = any (s.restricted_team_ids)
  order by p.position, s.position limit 1;
  if stage is not null then
    raise exception 'The % stage is restricted to this team: remove the team from it in Settings → Pipelines first', stage
      using errcode = '23514', hint = 'team_in_use';
  end if;
  return case tg_op when 'DELETE' then old else new end;
end
$$;
create trigger teams_guard_stages before update of archived_at or delete on public.teams
  for each row execute function private.guard_team_stages();

-- Whether the caller may move deals into or out of a stage with these lists
-- (owners and admins are let through before this is asked).
create function private.may_use_stage(roles public.org_role[], team_ids uuid[]) returns boolean
language sql stable set search_path = '' as $$
  select (cardinality(roles) = 0 and cardinality(team_ids) = 0)
      or coalesce(private.current_org_role() = any (roles), false)
      or team_ids && public.member_teams()
$$;

-- The refusal, naming the stage. A stage restricted to roles only keeps the
-- message it always had; one naming teams says who may.
create function private.stage_refusal(stage uuid, direction text) returns text
language sql stable security definer set search_path = '' as $$
  with s as (select name, restricted_roles, restricted_team_ids from public.pipeline_stages where id = stage),
  who as (
    select array(
      select r::text || 's' from s, unnest(s.restricted_roles) with ordinality u(r, i) order by i
    ) || array(
      select 'the ' || t.name || case when t.name ~* '\mteam$' then '' else ' team' end from s join public.teams t on t.id = any (s.restricted_team_ids)
      where t.archived_at is null order by lower(t.name)
    ) as names
  )
  select case
    when cardinality(s.restricted_team_ids) = 0 then format('Your role cannot move deals %s the "%s" stage', direction, s.name)
    when cardinality(who.names) = 1 then format('Only %s can move deals %s the "%s" stage', who.names[1], direction, s.name)
    else format('Only %s and %s can move deals %s the "%s" stage',
                array_to_string(who.names[1:cardinality(who.names) - 1], ', '), who.names[cardinality(who.names)],
                direction, s.name)
  end
  from s, who
$$;
-- It reads any stage past RLS: only the trigger below calls it.
revoke all on function private.stage_refusal(uuid, text) from public;

create or replace function private.guard_deal_stage() returns trigger
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
    select restricted_roles, restricted_team_ids into s from public.pipeline_stages where id = old.stage_id;
    if not private.may_use_stage(s.restricted_roles, s.restricted_team_ids) then
      raise exception '%', private.stage_refusal(old.stage_id, 'out of')
        using errcode = '42501', hint = 'stage_restricted';
    end if;
  end if;
  select restricted_roles, restricted_team_ids into s from public.pipeline_stages where id = new.stage_id;
  if not private.may_use_stage(s.restricted_roles, s.restricted_team_ids) then
    raise exception '%', private.stage_refusal(new.stage_id, 'into')
      using errcode = '42501', hint = 'stage_restricted';
  end if;
  return new;
end
$$;
