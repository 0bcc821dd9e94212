-- What a template makes of handoff and locked stages: the template's own
-- data, for a new org (the trigger below, in the sign-up transaction after
-- private.apply_org_template has made the stages) and for the orgs that
-- exist already. A surrogacy agency's intake hands approved cases to case
-- management at "Pending handoff": accepted, a case goes to "Pending match";
-- denied, back to "Under review". The case-management stages are locked, so
-- intake can no longer change a case once accepted; they still see it
-- (Settings → Pipelines can hide it). Stages are found by name within the
-- org's pipeline; a stage renamed since is left alone. Its own trigger
-- rather than a section of apply_org_template, since slices later in the
-- migration order restate that function whole.
create function private.seed_handoff_stages(org uuid, template text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  cases uuid;
begin
  if template is distinct from 'surrogacy' then
    return;
  end if;
  select id into cases from public.pipelines where org_id = org and name = 'Cases';
  if cases is null then
    return;
  end if;
  update public.pipeline_stages h
     set handoff_accept_stage_id = a.id, handoff_deny_stage_id = d.id
    from public.pipeline_stages a, public.pipeline_stages d
   where h.pipeline_id = cases and h.name = 'Pending handoff' and h.handoff_accept_stage_id is null
     and a.pipeline_id = cases and a.name = 'Pending match'
     and d.pipeline_id = cases and d.name = 'Under review';
  update public.pipeline_stages
     set locked = true
   where pipeline_id = cases and name in ('Pending match', 'Matched', 'In journey', 'Delivered', 'Withdrawn');
end
$$;
revoke all on function private.seed_handoff_stages(uuid, text) from public;

create function private.seed_new_org_handoff_stages() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.seed_handoff_stages(new.id, new.template);
  return null;
end
$$;
-- Named to fire after orgs_apply_template, which makes the stages.
create trigger orgs_seed_handoff_stages after insert on public.orgs
  for each row execute function private.seed_new_org_handoff_stages();

select private.seed_handoff_stages(id, template) from public.orgs;
