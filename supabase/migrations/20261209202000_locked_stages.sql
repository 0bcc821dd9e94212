-- Locked stages: once the receiving side has accepted a deal, only those
-- allowed into its stage (and owners and admins) may change or delete it,
-- on every path. Trusted server work is not restricted.
create function private.guard_locked_deal() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  s record;
begin
  if not private.is_end_user() or private.current_org_role() in ('owner', 'admin') then
    return case tg_op when 'DELETE' then old else new end;
  end if;
  select name, locked, restricted_roles, restricted_team_ids into s from public.pipeline_stages where id = old.stage_id;
  if s.locked and not private.may_use_stage(s.restricted_roles, s.restricted_team_ids) then
    raise exception '"%" is locked in the "%" stage: only % can change it', old.name, s.name, private.stage_users(old.stage_id)
      using errcode = '42501', hint = 'locked';
  end if;
  return case tg_op when 'DELETE' then old else new end;
end
$$;
-- Named to fire before the other checks (triggers run in name order), so a
-- member is told the deal is locked rather than what else they may not do.
create trigger deals_check_locked before update or delete on public.deals
  for each row execute function private.guard_locked_deal();

-- The stages whose deals the caller may not see: locked stages of pipelines
-- that hide them, for those not allowed into the stage (private.may_use_stage,
-- spelled out with what members may call). Called once per query (an
-- InitPlan in the policy below), so a long list pays for it once; it reads
-- stages and pipelines under the caller's own RLS.
create function private.hidden_stage_ids() returns uuid[]
language sql stable set search_path = '' as $$
  select coalesce(array_agg(s.id), '{}')
  from public.pipeline_stages s join public.pipelines p on p.id = s.pipeline_id
  where s.locked and p.hide_locked_from_others
    and private.current_org_role() not in ('owner', 'admin')
    and cardinality(s.restricted_roles) + cardinality(s.restricted_team_ids) > 0
    and not coalesce(private.current_org_role() = any (s.restricted_roles), false)
    and not s.restricted_team_ids && public.member_teams()
$$;
grant execute on function private.hidden_stage_ids() to authenticated;

drop policy deals_select on public.deals;
create policy deals_select on public.deals for select to authenticated
  using (public.is_member_of(org_id) and not stage_id = any ((select private.hidden_stage_ids())::uuid[]));
