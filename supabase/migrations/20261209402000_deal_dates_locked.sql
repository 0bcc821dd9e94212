-- A locked case's dates are locked with it. The handoff slice locks a deal
-- with a trigger on deals (private.guard_locked_deal, 20261209202000), which
-- the dates' guard does not fire (it takes the deal's row lock, which asks
-- the deal's policies only), so the dates ask the same question here: only
-- those allowed into a locked stage, owners and admins may add, change or
-- remove the dates of a deal in it. Trusted server work is not restricted.
create function private.guard_locked_deal_date() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  target uuid := case when tg_op = 'DELETE' then old.deal_id else new.deal_id end;
  d record;
  s record;
begin
  if not private.is_end_user() or private.current_org_role() in ('owner', 'admin') then
    return case tg_op when 'DELETE' then old else new end;
  end if;
  select name, stage_id into d from public.deals where id = target;
  select name, locked, restricted_roles, restricted_team_ids into s from public.pipeline_stages where id = d.stage_id;
  if s.locked and not private.may_use_stage(s.restricted_roles, s.restricted_team_ids) then
    raise exception '"%" is locked in the "%" stage: only % can change its dates', d.name, s.name, private.stage_users(d.stage_id)
      using errcode = '42501', hint = 'deal_locked';
  end if;
  return case tg_op when 'DELETE' then old else new end;
end
$$;
create trigger deal_dates_guard_locked before insert or update or delete on public.deal_dates
  for each row execute function private.guard_locked_deal_date();
