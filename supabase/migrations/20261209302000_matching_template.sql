-- The surrogacy template configures matching (modules/matching/README.md):
-- Cases ↔ Intended parents, both moving to their "Matched" stage when a
-- match is made; candidates are cases pending a match and qualified
-- intended parents; who may match is who may use both Matched stages (Case
-- management). Three criteria: the surrogate's state among the states whose
-- law suits compensated surrogacy (the agency's own list, to keep with its
-- counsel), among the parents' preferred states, and the parents' budget
-- against her expected compensation, a case field added here.
--
-- The template's own data, for a new org (the trigger below, in the sign-up
-- transaction after private.apply_org_template has made the pipelines) and
-- for the orgs that exist already; an org that has a pairing keeps its own.
-- Its own trigger rather than a section of apply_org_template: slices later
-- in the migration order restate that function whole, and would drop a
-- section written before them.
create function private.seed_match_settings(org uuid, template text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  setting uuid;
begin
  if template is distinct from 'surrogacy' or exists (select 1 from public.match_settings where org_id = org) then
    return;
  end if;
  insert into public.custom_field_definitions (org_id, object_type, key, label, field_type, options, position)
  values (org, 'deal', 'expected_compensation', 'Expected compensation', 'number', '[]', 2)
  on conflict (org_id, object_type, key) do nothing;
  insert into public.match_settings (org_id, left_pipeline_id, right_pipeline_id, left_label, right_label,
                                     left_matched_stage_id, right_matched_stage_id,
                                     left_candidate_stage_ids, right_candidate_stage_ids)
  select org, c.id, p.id, 'Surrogate', 'Intended parents',
         (select s.id from public.pipeline_stages s where s.pipeline_id = c.id and s.name = 'Matched'),
         (select s.id from public.pipeline_stages s where s.pipeline_id = p.id and s.name = 'Matched'),
         array(select s.id from public.pipeline_stages s where s.pipeline_id = c.id and s.name = 'Pending match'),
         array(select s.id from public.pipeline_stages s where s.pipeline_id = p.id and s.name = 'Qualified')
  from public.pipelines c, public.pipelines p
  where c.org_id = org and c.name = 'Cases' and p.org_id = org and p.name = 'Intended parents'
  returning id into setting;
  if setting is null then
    return;
  end if;
  insert into public.match_criteria (org_id, setting_id, position, label, left_field, left_term, operator,
                                     right_field, right_term, "values")
  values (org, setting, 0, 'State law', 'person.state', 'Lives in', 'in_list', null, 'surrogacy-friendly state',
          '{AZ,CA,CO,CT,DC,DE,FL,IL,MA,MD,ME,MN,NH,NJ,NM,NV,NY,OH,OR,PA,RI,TX,UT,VA,VT,WA,WI}'),
         (org, setting, 1, 'Preferred states', 'person.state', 'Lives in', 'in', 'custom.preferred_states',
          'parents prefer', '{}'),
         (org, setting, 2, 'Budget', 'custom.expected_compensation', 'expected', 'lte', 'deal.value', 'Budget', '{}');
end
$$;
revoke all on function private.seed_match_settings(uuid, text) from public;

create function private.seed_new_org_match_settings() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.seed_match_settings(new.id, new.template);
  return null;
end
$$;
-- Named to fire after orgs_apply_template (row triggers fire by name), which makes the pipelines.
create trigger orgs_seed_match_settings after insert on public.orgs
  for each row execute function private.seed_new_org_match_settings();

select private.seed_match_settings(id, template) from public.orgs;
