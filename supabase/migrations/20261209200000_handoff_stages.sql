-- Handoff and locked stages: how one side of an org hands work to another
-- (intake to case management, SDRs to AEs) as data on the pipeline.
--
-- A handoff stage names the stage a deal goes to when the receiving side
-- accepts it and the one it goes back to when they deny it (both or
-- neither, both on the same pipeline, neither the stage itself). The
-- receiving side is whoever may use the accept stage (its restricted roles
-- and teams). A locked stage's deals can be changed only by those allowed
-- into the stage, owners and admins; a pipeline may also hide its locked
-- stages' deals from everyone else.

alter table public.pipeline_stages
  add column handoff_accept_stage_id uuid,
  add column handoff_deny_stage_id uuid,
  add column locked boolean not null default false,
  add constraint pipeline_stages_handoff_both
    check ((handoff_accept_stage_id is null) = (handoff_deny_stage_id is null)),
  add constraint pipeline_stages_handoff_targets
    check (handoff_accept_stage_id <> id and handoff_deny_stage_id <> id and handoff_accept_stage_id <> handoff_deny_stage_id),
  -- A stage another stage hands off to cannot be deleted until that stage stops naming it.
  add constraint pipeline_stages_handoff_accept_fkey foreign key (handoff_accept_stage_id, pipeline_id, org_id)
    references public.pipeline_stages (id, pipeline_id, org_id),
  add constraint pipeline_stages_handoff_deny_fkey foreign key (handoff_deny_stage_id, pipeline_id, org_id)
    references public.pipeline_stages (id, pipeline_id, org_id);
create index pipeline_stages_handoff_accept_idx on public.pipeline_stages (handoff_accept_stage_id) where handoff_accept_stage_id is not null;
create index pipeline_stages_handoff_deny_idx on public.pipeline_stages (handoff_deny_stage_id) where handoff_deny_stage_id is not null;
grant insert (handoff_accept_stage_id, handoff_deny_stage_id, locked), update (handoff_accept_stage_id, handoff_deny_stage_id, locked)
  on public.pipeline_stages to authenticated;

alter table public.pipelines add column hide_locked_from_others boolean not null default false;
grant insert (hide_locked_from_others), update (hide_locked_from_others) on public.pipelines to authenticated;

-- Who may use a stage, in words: "the Case management team", "managers and
-- the Intake team"; owners and admins when the stage names nobody.
create function private.stage_users(stage uuid) returns text
language sql stable security definer set search_path = '' as $$
  with s as (select restricted_roles, restricted_team_ids from public.pipeline_stages where id = stage),
  who as (
    select array(
      select r::text || 's' from s, unnest(s.restricted_roles) with ordinality u(r, i) order by i
    ) || array(
      select 'the ' || t.name || case when t.name ~* '\mteam$' then '' else ' team' end
      from s join public.teams t on t.id = any (s.restricted_team_ids)
      where t.archived_at is null order by lower(t.name)
    ) as names
  )
  select case
    when cardinality(who.names) = 0 then 'owners and admins'
    when cardinality(who.names) = 1 then who.names[1]
    else array_to_string(who.names[1:cardinality(who.names) - 1], ', ') || ' and ' || who.names[cardinality(who.names)]
  end
  from who
$$;
-- It reads any stage past RLS: only the triggers below call it.
revoke all on function private.stage_users(uuid) from public;
