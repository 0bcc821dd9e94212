-- The surrogacy template configures matching (modules/matching/README.md):
-- Cases ↔ Intended parents, their Matched stages, the candidates' stages and
-- three criteria, with the cases' expected compensation field they read.
-- The whole function as main had it, with the matching section added.

create or replace function private.apply_org_template(org uuid, template text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  intake uuid;
  case_management uuid;
  pipeline uuid;
  match_setting uuid;
begin
  if template is null or template not in ('sales', 'surrogacy', 'leadgen') then
    raise exception 'Unknown organization template "%"', template using errcode = 'P0001', hint = 'template_invalid';
  end if;

  -- Teams ------------------------------------------------------------------
  if template = 'surrogacy' then
    insert into public.teams (org_id, name, description)
    values (org, 'Intake', 'Screens prospective surrogates and hands approved cases to case management'),
           (org, 'Case management', 'Matches approved surrogates with intended parents and runs their journeys');
  end if;
  select id into intake from public.teams where org_id = org and name = 'Intake';
  select id into case_management from public.teams where org_id = org and name = 'Case management';

  -- Pipelines, stages and their nouns --------------------------------------
  if template in ('sales', 'leadgen') then
    insert into public.pipelines (org_id, name, position) values (org, 'Sales', 0) returning id into pipeline;
    insert into public.pipeline_stages (org_id, pipeline_id, name, position, probability, is_won, is_lost)
    values (org, pipeline, 'Qualified', 0, 10, false, false),
           (org, pipeline, 'Contact made', 1, 20, false, false),
           (org, pipeline, 'Proposal sent', 2, 50, false, false),
           (org, pipeline, 'Negotiation', 3, 75, false, false),
           (org, pipeline, 'Won', 4, 100, true, false),
           (org, pipeline, 'Lost', 5, 0, false, true);
  elsif template = 'surrogacy' then
    -- A case is a prospective surrogate. Intake (and managers, who oversee
    -- it) works the first stages up to the handoff; only case management
    -- moves cases into and out of the stages after it.
    insert into public.pipelines (org_id, name, position, noun_singular, noun_plural)
    values (org, 'Cases', 0, 'Case', 'Cases') returning id into pipeline;
    insert into public.pipeline_stages (org_id, pipeline_id, name, position, probability, is_won, is_lost,
                                        restricted_roles, restricted_team_ids)
    values (org, pipeline, 'New', 0, 5, false, false, '{manager}', array[intake]),
           (org, pipeline, 'Contacted', 1, 10, false, false, '{manager}', array[intake]),
           (org, pipeline, 'Qualified', 2, 20, false, false, '{manager}', array[intake]),
           (org, pipeline, 'Applied', 3, 30, false, false, '{manager}', array[intake]),
           (org, pipeline, 'Under review', 4, 40, false, false, '{manager}', array[intake]),
           (org, pipeline, 'Approved', 5, 50, false, false, '{manager}', array[intake]),
           (org, pipeline, 'Pending handoff', 6, 55, false, false, '{manager}', array[intake]),
           (org, pipeline, 'Pending match', 7, 60, false, false, '{}', array[case_management]),
           (org, pipeline, 'Matched', 8, 75, false, false, '{}', array[case_management]),
           (org, pipeline, 'In journey', 9, 90, false, false, '{}', array[case_management]),
           (org, pipeline, 'Delivered', 10, 100, true, false, '{}', array[case_management]),
           (org, pipeline, 'Not eligible', 11, 0, false, true, '{manager}', array[intake]),
           (org, pipeline, 'Withdrawn', 12, 0, false, true, '{}', array[case_management]);

    insert into public.pipelines (org_id, name, position, noun_singular, noun_plural)
    values (org, 'Intended parents', 1, 'Intended parent', 'Intended parents') returning id into pipeline;
    insert into public.pipeline_stages (org_id, pipeline_id, name, position, probability, is_won, is_lost)
    values (org, pipeline, 'New', 0, 5, false, false),
           (org, pipeline, 'Contacted', 1, 15, false, false),
           (org, pipeline, 'In review', 2, 30, false, false),
           (org, pipeline, 'Qualified', 3, 50, false, false),
           (org, pipeline, 'Matched', 4, 80, false, false),
           (org, pipeline, 'Declined', 5, 0, false, true),
           (org, pipeline, 'On hold', 6, 0, false, false);
  end if;

  -- Lead statuses ------------------------------------------------------------
  -- The built-in keys (new, qualified, routed, won, lost) stay in every
  -- template: routing and Meta's conversion signals name them.
  if template = 'surrogacy' then
    insert into public.lead_statuses (org_id, key, label, category, built_in, position)
    values (org, 'new', 'New inquiry', 'open', true, 0),
           (org, 'contacted', 'Contacted', 'open', false, 1),
           (org, 'qualified', 'Pre-qualified', 'open', true, 2),
           (org, 'routed', 'Assigned', 'open', true, 3),
           (org, 'won', 'Became a case', 'won', true, 4),
           (org, 'lost', 'Not a fit', 'lost', true, 5);
  elsif template = 'leadgen' then
    insert into public.lead_statuses (org_id, key, label, category, built_in, position)
    values (org, 'new', 'New', 'open', true, 0),
           (org, 'qualified', 'Qualified', 'open', true, 1),
           (org, 'routed', 'Sent to partner', 'open', true, 2),
           (org, 'won', 'Sold', 'won', true, 3),
           (org, 'lost', 'Lost', 'lost', true, 4),
           (org, 'unreachable', 'Unreachable', 'lost', false, 5);
  end if;
  -- The sources Covey writes, and the default statuses where a template named none.
  perform private.seed_lead_settings(org);

  -- Custom fields ------------------------------------------------------------
  if template = 'surrogacy' then
    insert into public.custom_field_definitions (org_id, object_type, key, label, field_type, options, position)
    values (org, 'person', 'date_of_birth', 'Date of birth', 'date', '[]', 0),
           (org, 'person', 'bmi', 'BMI', 'number', '[]', 1),
           (org, 'person', 'previous_pregnancies', 'Previous pregnancies', 'number', '[]', 2),
           (org, 'person', 'previous_surrogacies', 'Previous surrogacies', 'number', '[]', 3),
           (org, 'person', 'marital_status', 'Marital status', 'select',
            '[{"value": "single", "label": "Single"}, {"value": "married", "label": "Married"},
              {"value": "partnered", "label": "Partnered"}, {"value": "divorced", "label": "Divorced"}]', 4),
           (org, 'deal', 'embryos_ready', 'Embryos ready', 'checkbox', '[]', 0),
           (org, 'deal', 'preferred_states', 'Preferred states', 'text', '[]', 1);
  end if;

  -- Matching -----------------------------------------------------------------
  -- A case (the surrogate) is matched with intended parents: both move to
  -- their "Matched" stage when the match is made; candidates are cases
  -- pending a match and qualified intended parents. Who may match is who may
  -- use both Matched stages (Case management). Criteria: the surrogate's
  -- state among the states whose law suits compensated surrogacy (the
  -- agency's list, to keep with its counsel), among the parents' preferred
  -- states, and the parents' budget against her expected compensation.
  if template = 'surrogacy' then
    insert into public.custom_field_definitions (org_id, object_type, key, label, field_type, options, position)
    values (org, 'deal', 'expected_compensation', 'Expected compensation', 'number', '[]', 2);
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
    returning id into match_setting;
    insert into public.match_criteria (org_id, setting_id, position, label, left_field, left_term, operator,
                                       right_field, right_term, "values")
    values (org, match_setting, 0, 'State law', 'person.state', 'Lives in', 'in_list', null, 'surrogacy-friendly state',
            '{AZ,CA,CO,CT,DC,DE,FL,IL,MA,MD,ME,MN,NH,NJ,NM,NV,NY,OH,OR,PA,RI,TX,UT,VA,VT,WA,WI}'),
           (org, match_setting, 1, 'Preferred states', 'person.state', 'Lives in', 'in', 'custom.preferred_states',
            'parents prefer', '{}'),
           (org, match_setting, 2, 'Budget', 'custom.expected_compensation', 'expected', 'lte', 'deal.value', 'Budget', '{}');
  end if;

  -- What every org starts with ---------------------------------------------
  perform private.seed_message_templates(org);
  perform private.seed_meta_conversion_stages(org);
end
$$;
revoke all on function private.apply_org_template(uuid, text) from public;
