-- A vertical is data. A new org picks a template at sign-up (orgs.template)
-- and private.apply_org_template seeds what that template means: teams,
-- pipelines with their stages, nouns and stage restrictions, lead statuses,
-- custom fields, and what every org starts with. Nothing else in Covey asks
-- which template an org was born with: afterwards it is the org's own data,
-- which its admins change in Settings.
--
-- It runs from one trigger on the orgs insert, so whatever creates an org
-- (email sign-up, the OAuth finish, the seed, tests) gets its template in
-- the same transaction: a failure anywhere leaves no org and no account.
-- It replaces the four triggers that seeded every org alike.

drop trigger orgs_default_pipeline on public.orgs;
drop trigger orgs_default_lead_settings on public.orgs;
drop trigger orgs_meta_conversion_stages on public.orgs;
drop trigger orgs_message_templates on public.orgs;
drop function private.create_default_pipeline();
drop function private.create_default_lead_settings();
drop function private.create_default_meta_conversion_stages();
drop function private.create_default_message_templates();

-- One section per concern, each saying what every template it knows seeds.
-- Issue 18's slices redefine this function to add their own section
-- (numbering, handoff, matching, dates, lead-to-case settings): find rows
-- seeded by an earlier section by name within the org, as they do below.
create function private.apply_org_template(org uuid, template text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  intake uuid;
  case_management uuid;
  pipeline uuid;
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

  -- What every org starts with ---------------------------------------------
  perform private.seed_message_templates(org);
  perform private.seed_meta_conversion_stages(org);
end
$$;
revoke all on function private.apply_org_template(uuid, text) from public;

create function private.apply_new_org_template() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.apply_org_template(new.id, new.template);
  return null;
end
$$;
create trigger orgs_apply_template after insert on public.orgs
  for each row execute function private.apply_new_org_template();

-- Sign-up refuses an unknown template by name (the auth API answers 422 with
-- the hint as its code) instead of failing on the orgs check constraint.
create or replace function private.admit_user(new_user uuid, address text, meta jsonb) returns void
language plpgsql security definer set search_path = '' as $$
declare
  token text := nullif(meta ->> 'invite_token', '');
  full_name text := left(btrim(coalesce(meta ->> 'full_name', '')), 120);
  template text := coalesce(nullif(meta ->> 'org_template', ''), 'sales');
  inv public.org_invites;
  domains text[];
  new_org uuid;
begin
  if token is not null then
    select * into inv from public.org_invites
      where token_hash = encode(sha256(convert_to(token, 'UTF8')), 'hex')
      for update;
    if not found or inv.revoked_at is not null then
      raise exception 'This invitation is not valid' using errcode = 'P0001', hint = 'invite_invalid';
    elsif inv.accepted_at is not null then
      raise exception 'This invitation has already been used' using errcode = 'P0001', hint = 'invite_used';
    elsif inv.expires_at <= now() then
      raise exception 'This invitation has expired' using errcode = 'P0001', hint = 'invite_expired';
    elsif lower(inv.email::text) <> lower(address) then
      raise exception 'This invitation was sent to another address' using errcode = 'P0001', hint = 'invite_email_mismatch';
    end if;
    select allowed_email_domains into domains from public.orgs where id = inv.org_id;
    if cardinality(domains) > 0 and lower(split_part(address, '@', 2)) <> all (domains) then
      raise exception 'Email domain % is not allowed in this organization', split_part(address, '@', 2)
        using errcode = 'P0001', hint = 'domain_not_allowed';
    end if;
    insert into public.org_members (org_id, user_id, role) values (inv.org_id, new_user, inv.role);
    insert into public.profiles (user_id, org_id, full_name, email) values (new_user, inv.org_id, full_name, address);
    update public.org_invites set accepted_at = now(), accepted_by = new_user where id = inv.id;
  else
    if private.setting('signup_mode') = 'invite_only' then
      raise exception 'Sign-up is by invitation only' using errcode = 'P0001', hint = 'signup_disabled';
    end if;
    if template not in ('sales', 'surrogacy', 'leadgen') then
      raise exception 'Choose a template: Sales CRM, Surrogacy agency or Lead generation'
        using errcode = 'P0001', hint = 'template_invalid';
    end if;
    insert into public.orgs (name, template)
      values (coalesce(nullif(left(btrim(meta ->> 'org_name'), 120), ''), split_part(address, '@', 2)), template)
      returning id into new_org;
    insert into public.org_members (org_id, user_id, role) values (new_org, new_user, 'owner');
    insert into public.profiles (user_id, org_id, full_name, email) values (new_user, new_org, full_name, address);
  end if;
end
$$;
