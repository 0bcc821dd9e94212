-- Demo data for the embedded runtime (run once, by `npm start`).
-- Every demo account's password is covey-demo-1234.

do $$
declare
  pw text := extensions.crypt('covey-demo-1234', extensions.gen_salt('bf', 10));
  demo_org uuid;
  owner_id uuid;
  teammate record;
begin
  -- The owner signs up: the sign-up trigger creates "Covey Demo".
  insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, aud, role)
  values ('demo@covey.local', pw, now(),
          '{"full_name": "Dana Demo", "org_name": "Covey Demo"}',
          '{"provider": "email", "providers": ["email"]}', 'authenticated', 'authenticated')
  returning id into owner_id;
  select org_id into demo_org from public.org_members where user_id = owner_id;

  -- Teammates join the way everyone does: by invitation.
  for teammate in
    select * from (values
      ('alex.admin@covey.local', 'Alex Admin', 'admin'),
      ('morgan.manager@covey.local', 'Morgan Manager', 'manager'),
      ('sam.member@covey.local', 'Sam Member', 'member')
    ) as t(email, full_name, role)
  loop
    insert into public.org_invites (org_id, email, role, token_hash, invited_by)
    values (demo_org, teammate.email, teammate.role::public.org_role,
            encode(sha256(convert_to('seed-' || teammate.email, 'UTF8')), 'hex'), owner_id);
    insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, aud, role)
    values (teammate.email, pw, now(),
            jsonb_build_object('full_name', teammate.full_name, 'invite_token', 'seed-' || teammate.email),
            '{"provider": "email", "providers": ["email"]}', 'authenticated', 'authenticated');
  end loop;

  -- A second organization, to see that tenants never meet.
  insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, aud, role)
  values ('owner@northwind.local', pw, now(),
          '{"full_name": "Nora Northwind", "org_name": "Northwind Partners"}',
          '{"provider": "email", "providers": ["email"]}', 'authenticated', 'authenticated');
end
$$;

-- CRM demo data for Covey Demo: companies, people, deals across the sales
-- pipeline, tasks and notes, owned by the demo team.
do $$
declare
  demo_org uuid;
  members uuid[];
  stages uuid[];
  pipeline uuid;
  company_ids uuid[] := '{}';
  person_ids uuid[] := '{}';
  c record;
  p record;
  cid uuid;
  pid uuid;
  did uuid;
  i int := 0;
begin
  select o.id into demo_org from public.orgs o where o.name = 'Covey Demo';
  select array_agg(m.user_id order by m.created_at) into members from public.org_members m where m.org_id = demo_org;
  select pl.id into pipeline from public.pipelines pl where pl.org_id = demo_org order by pl.position limit 1;
  select array_agg(s.id order by s.position) into stages from public.pipeline_stages s where s.pipeline_id = pipeline;

  for c in
    select * from (values
      ('Acme Logistics', 'acmelogistics.com', 'Logistics', 'Austin', 'TX', 240),
      ('Bluebird Dental', 'bluebirddental.com', 'Healthcare', 'Denver', 'CO', 35),
      ('Cedar & Pine Realty', 'cedarpine.com', 'Real estate', 'Portland', 'OR', 18),
      ('Driftwood Coffee', 'driftwoodcoffee.co', 'Food & beverage', 'Seattle', 'WA', 60),
      ('Evergreen Solar', 'evergreensolar.io', 'Energy', 'Phoenix', 'AZ', 120),
      ('Foxglove Family Law', 'foxglovelaw.com', 'Legal', 'Chicago', 'IL', 12),
      ('Granite Peak Fitness', 'granitepeakfit.com', 'Fitness', 'Boulder', 'CO', 45),
      ('Harbor Light Insurance', 'harborlight.com', 'Insurance', 'Boston', 'MA', 310),
      ('Ironwood Construction', 'ironwoodbuild.com', 'Construction', 'Dallas', 'TX', 150),
      ('Juniper Pediatrics', 'juniperpeds.com', 'Healthcare', 'San Diego', 'CA', 28)
    ) as t(name, domain, industry, city, state, employees)
  loop
    i := i + 1;
    insert into public.companies (org_id, name, domain, website, industry, city, state, country, employee_count,
                                  phone, tags, owner_id, created_at)
    values (demo_org, c.name, c.domain, 'https://' || c.domain, c.industry, c.city, c.state, 'US', c.employees,
            '+1415555' || lpad((100 + i)::text, 4, '0'),
            case when i % 3 = 0 then '{customer}'::text[] else '{prospect}'::text[] end,
            members[1 + i % cardinality(members)], now() - make_interval(days => 40 - i * 3))
    returning id into cid;
    company_ids := company_ids || cid;
  end loop;

  i := 0;
  for p in
    select * from (values
      ('Maria', 'Gonzalez', 'Operations Director'), ('James', 'Chen', 'Office Manager'),
      ('Aisha', 'Patel', 'Managing Broker'), ('Tom', 'Becker', 'Owner'),
      ('Sofia', 'Rossi', 'VP Sales'), ('Daniel', 'Kim', 'Partner'),
      ('Olivia', 'Brown', 'General Manager'), ('Ethan', 'Walker', 'Head of Procurement'),
      ('Grace', 'Nguyen', 'Project Lead'), ('Lucas', 'Martin', 'Practice Manager'),
      ('Hannah', 'Schmidt', 'CFO'), ('Noah', 'Johnson', 'Founder'),
      ('Chloe', 'Dubois', 'Marketing Lead'), ('Ryan', 'O''Neil', 'Account Executive'),
      ('Priya', 'Shah', 'COO'), ('Ben', 'Carter', 'Facilities Manager')
    ) as t(first_name, last_name, title)
  loop
    i := i + 1;
    insert into public.people (org_id, first_name, last_name, email, phone, title, company_id, state, country,
                               tags, owner_id, source, last_contacted_at, created_at)
    values (demo_org, p.first_name, p.last_name,
            lower(p.first_name || '.' || replace(p.last_name, '''', '')) || '@' ||
              (select domain from public.companies where id = company_ids[1 + (i - 1) % cardinality(company_ids)]),
            '+1512555' || lpad((200 + i)::text, 4, '0'), p.title,
            company_ids[1 + (i - 1) % cardinality(company_ids)],
            (select state from public.companies where id = company_ids[1 + (i - 1) % cardinality(company_ids)]), 'US',
            case when i % 4 = 0 then '{decision-maker}'::text[] else '{}'::text[] end,
            members[1 + i % cardinality(members)],
            (array['Website', 'Referral', 'Trade show', 'Cold call'])[1 + i % 4],
            case when i % 2 = 0 then now() - make_interval(days => i) end,
            now() - make_interval(days => 20 - i))
    returning id into pid;
    person_ids := person_ids || pid;
  end loop;

  for i in 1 .. 14 loop
    -- Made weeks ago in its stage, so it entered the stage then: the board
    -- counts days in stage from that, not from the moment the seed ran.
    insert into public.deals (org_id, name, pipeline_id, stage_id, position, value_minor, currency, owner_id,
                              company_id, person_id, expected_close_date, created_at, stage_entered_at)
    values (demo_org,
            (array['Fleet tracking rollout', 'Annual service plan', 'Office expansion', 'Website redesign',
                   'Solar install phase 2', 'Retainer renewal', 'Membership software', 'Group policy',
                   'Site safety audit', 'Patient intake forms', 'Q1 supply contract', 'Training package',
                   'Marketing bundle', 'Maintenance contract'])[i],
            pipeline, stages[1 + (i - 1) % cardinality(stages)], i,
            (array[1200000, 450000, 2500000, 800000, 6400000, 300000, 950000, 1800000, 520000, 275000, 3900000,
                   640000, 1100000, 720000])[i]::bigint,
            'USD', members[1 + i % cardinality(members)],
            company_ids[1 + (i - 1) % cardinality(company_ids)], person_ids[1 + (i - 1) % cardinality(person_ids)],
            current_date + (i * 5), now() - make_interval(days => 30 - i), now() - make_interval(days => 30 - i))
    returning id into did;
    if i % 3 = 0 then
      insert into public.notes (org_id, body_html, body_text, author_id, deal_id)
      values (demo_org, '<p>Spoke with the buyer. <strong>Budget approved</strong>; waiting on legal review.</p>',
              'Spoke with the buyer. Budget approved; waiting on legal review.', members[1], did);
    end if;
  end loop;

  for i in 1 .. 10 loop
    insert into public.tasks (org_id, title, due_at, all_day, priority, assignee_id, person_id, created_by)
    values (demo_org,
            (array['Call back about pricing', 'Send proposal', 'Book site visit', 'Follow up on contract',
                   'Prepare demo', 'Check references', 'Email case study', 'Confirm meeting time',
                   'Update billing details', 'Quarterly check-in'])[i],
            date_trunc('day', now()) + make_interval(days => i - 3, hours => 10), false,
            (array['normal', 'high', 'normal', 'urgent', 'low'])[1 + i % 5]::public.task_priority,
            members[1 + i % 2], person_ids[i], members[1]);
  end loop;

  insert into public.notes (org_id, body_html, body_text, author_id, person_id)
  select demo_org,
         '<p>Intro call went well. Interested in:</p><ul><li>Onboarding support</li><li>Monthly reporting</li></ul>',
         'Intro call went well. Interested in: Onboarding support Monthly reporting', members[1], unnest(person_ids[1:5]);

  -- The triggers stamp a record's first timeline item and a deal's first
  -- stage history row with the time the seed ran; they happened when the
  -- record was made, weeks ago.
  update public.timeline_events t set occurred_at = r.created_at
    from (select 'person' as type, id, created_at from public.people where org_id = demo_org
          union all select 'company', id, created_at from public.companies where org_id = demo_org
          union all select 'deal', id, created_at from public.deals where org_id = demo_org) r
   where t.org_id = demo_org and t.kind = 'created' and t.subject_type = r.type and t.subject_id = r.id;
  update public.deal_stage_history h set changed_at = d.created_at
    from public.deals d where d.org_id = demo_org and h.deal_id = d.id;

  -- The website's contact form, at a fixed address so the README can link
  -- it: http://localhost:3000/f/wf_websitecontact makes a real lead.
  insert into public.web_forms (org_id, name, key, fields, allowed_origins, thank_you_message, created_by)
  values (demo_org, 'Website contact', 'wf_websitecontact',
          '[{"name": "first_name", "label": "First name", "type": "text", "required": true, "maps_to": "first_name"},
            {"name": "last_name", "label": "Last name", "type": "text", "required": false, "maps_to": "last_name"},
            {"name": "email", "label": "Work email", "type": "email", "required": true, "maps_to": "email"},
            {"name": "phone", "label": "Phone", "type": "tel", "required": false, "maps_to": "phone"},
            {"name": "company", "label": "Company", "type": "text", "required": false, "maps_to": "company_name"},
            {"name": "interest", "label": "Interested in", "type": "select", "required": false, "maps_to": null,
             "options": ["A demo", "Pricing", "Support", "Something else"]},
            {"name": "message", "label": "How can we help?", "type": "textarea", "required": false, "maps_to": "message"}]',
          '{http://localhost:8080}', 'Thanks for getting in touch. Someone from Covey Demo will reply within one business day.',
          members[1]);
end
$$;

-- Leads from every door: a Meta lead ad, web forms, texts, calls, the API and
-- the team's own, at different points of the default statuses, with the UTM
-- and ad ids their sources carry.
do $$
declare
  demo_org uuid;
  members uuid[];
  l record;
begin
  select o.id into demo_org from public.orgs o where o.name = 'Covey Demo';
  select array_agg(m.user_id order by m.created_at) into members from public.org_members m where m.org_id = demo_org;
  for l in
    select * from (values
      (1, 'meta', 'new', 'Priya', 'Raman', 'priya.raman@example.com', '+14155550201', null, 'CA', 'Interested in a quote for next month.', 'facebook', 'spring_promo', '120210000000001', 'lead-1001'),
      (2, 'meta', 'qualified', 'Marcus', 'Bell', 'marcus.bell@example.com', '+13125550202', 'Bell Logistics', 'IL', 'How fast can you start?', 'facebook', 'spring_promo', '120210000000001', 'lead-1002'),
      (3, 'meta', 'routed', 'Ana', 'Costa', 'ana.costa@example.com', '+17865550203', null, 'FL', null, 'instagram', 'retargeting', '120210000000002', 'lead-1003'),
      (4, 'web_form', 'new', 'Tom', 'Nguyen', 'tom@nguyenbakery.example', '+15035550204', 'Nguyen Bakery', 'OR', 'Looking for a CRM for our three shops.', 'google', 'brand', null, 'sub-2001'),
      (5, 'web_form', 'qualified', 'Grace', 'Okafor', 'grace.okafor@example.com', null, 'Okafor & Co', 'TX', 'Please call me after 3pm.', 'newsletter', 'december', null, 'sub-2002'),
      (6, 'web_form', 'lost', 'Liam', 'Walsh', 'liam.walsh@example.com', '+12065550206', null, 'WA', 'Just browsing.', null, null, null, 'sub-2003'),
      (7, 'sms', 'new', null, null, null, '+16175550207', null, 'MA', 'Hi, do you have availability on Saturday?', null, null, null, 'SM3001'),
      (8, 'sms', 'routed', 'Jess', null, null, '+17205550208', null, 'CO', 'Send me the price list please', null, null, null, 'SM3002'),
      (9, 'twilio_call', 'new', null, null, null, '+12125550209', null, 'NY', 'Voicemail: asked for a callback about the premium plan.', null, null, null, 'CA4001'),
      (10, 'api', 'qualified', 'Sofia', 'Lind', 'sofia.lind@lindarch.example', '+14045550210', 'Lind Architects', 'GA', 'Referred by a partner portal.', 'partner', 'q4_referrals', null, 'ext-5001'),
      (11, 'manual', 'new', 'Omar', 'Haddad', 'omar.haddad@example.com', '+16025550211', 'Haddad Dental', 'AZ', 'Met at the trade show.', null, null, null, null),
      (12, 'manual', 'won', 'Hannah', 'Park', 'hannah.park@example.com', '+19715550212', 'Park Fitness', 'OR', 'Signed after the demo.', null, null, null, null)
    ) as v(n, source, status, first_name, last_name, email, phone, company_name, state, message, utm_source, utm_campaign, campaign_id, external_id)
  loop
    insert into public.leads (org_id, source, status, owner_id, first_name, last_name, email, phone, company_name, state,
                              message, utm, attribution, external_id, raw, created_at)
    values (demo_org, l.source, l.status, members[1 + l.n % cardinality(members)], l.first_name, l.last_name, l.email,
            l.phone, l.company_name, l.state, l.message,
            jsonb_strip_nulls(jsonb_build_object('source', l.utm_source, 'campaign', l.utm_campaign,
                                                 'medium', case when l.utm_source is not null then 'paid' end)),
            case when l.source = 'meta'
                 then jsonb_build_object('campaign_id', l.campaign_id, 'adgroup_id', '12021100000000' || l.n,
                                         'ad_id', '12021200000000' || l.n, 'form_id', '987654321000001',
                                         'page_id', '100200300400500')
                 else '{}' end,
            l.external_id,
            case when l.external_id is not null then jsonb_build_object('id', l.external_id, 'source', l.source) end,
            now() - make_interval(days => 12 - l.n, hours => l.n));
  end loop;
end
$$;

-- Lead routing: Texas leads are offered to a fulfillment partner (its offers
-- land in the dev mailbox); other web-form leads go round-robin to the demo
-- team's admin, manager and member.
do $$
declare
  demo_org uuid := (select o.id from public.orgs o where o.name = 'Covey Demo');
  partner uuid;
  rule uuid;
begin
  insert into public.partners (org_id, name, contact_email, phone, states, capacity_per_day, response_hours, notes)
  values (demo_org, 'Lone Star Fulfillment', 'offers@lonestar-fulfillment.example', '+15125550142', '{TX}', 10, 24,
          'Takes Texas leads; answers within a day.')
  returning id into partner;
  insert into public.lead_routing_rules (org_id, name, position, states, action)
  values (demo_org, 'Texas leads to Lone Star', 0, '{TX}', 'partner')
  returning id into rule;
  insert into public.routing_rule_members (org_id, rule_id, partner_id, position) values (demo_org, rule, partner, 0);
  insert into public.lead_routing_rules (org_id, name, position, sources, action)
  values (demo_org, 'Web form rotation', 1, '{web_form}', 'round_robin')
  returning id into rule;
  insert into public.routing_rule_members (org_id, rule_id, user_id, position)
  select demo_org, rule, m.user_id, row_number() over (order by u.email) - 1
  from public.org_members m join auth.users u on u.id = m.user_id
  where m.org_id = demo_org and u.email in ('alex.admin@covey.local', 'morgan.manager@covey.local', 'sam.member@covey.local');
end
$$;

-- The demo team's own phones, which click-to-call rings first: /dev/phone
-- plays them, as a member answering their mobile.
update public.profiles p set phone = t.phone
from (values ('demo@covey.local', '+15125550150'), ('alex.admin@covey.local', '+15125550151'),
             ('morgan.manager@covey.local', '+15125550152'), ('sam.member@covey.local', '+15125550153')) as t(email, phone)
where p.email = t.email;

-- ===========================================================================
-- Surrogacy demo: "Bloom Surrogacy Partners", an agency on the surrogacy
-- template. Its owner signs up choosing the template, so the demo is exactly
-- what private.apply_org_template seeds (teams Intake and Case management,
-- the Cases and Intended parents pipelines, intake lead statuses, custom
-- fields); the cases and intended parents below are its records.
-- Issue 18's slices append their demo rows (handoffs, matches, dates, ...)
-- to this section, after this block, finding the org by its name.
-- ===========================================================================
do $$
declare
  pw text := extensions.crypt('covey-demo-1234', extensions.gen_salt('bf', 10));
  bloom_org uuid;
  owner_id uuid;
  ivy uuid;
  carmen uuid;
  teammate record;
  cases uuid;
  parents uuid;
  c record;
  pid uuid;
  i int := 0;
begin
  insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, aud, role)
  values ('bloom@covey.local', pw, now(),
          '{"full_name": "Beatrice Bloom", "org_name": "Bloom Surrogacy Partners", "org_template": "surrogacy"}',
          '{"provider": "email", "providers": ["email"]}', 'authenticated', 'authenticated')
  returning id into owner_id;
  select org_id into bloom_org from public.org_members where user_id = owner_id;

  for teammate in
    select * from (values
      ('ivy.intake@covey.local', 'Ivy Intake', 'member'),
      ('carmen.cases@covey.local', 'Carmen Cases', 'manager')
    ) as t(email, full_name, role)
  loop
    insert into public.org_invites (org_id, email, role, token_hash, invited_by)
    values (bloom_org, teammate.email, teammate.role::public.org_role,
            encode(sha256(convert_to('seed-' || teammate.email, 'UTF8')), 'hex'), owner_id);
    insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, aud, role)
    values (teammate.email, pw, now(),
            jsonb_build_object('full_name', teammate.full_name, 'invite_token', 'seed-' || teammate.email),
            '{"provider": "email", "providers": ["email"]}', 'authenticated', 'authenticated');
  end loop;
  select id into ivy from auth.users where email = 'ivy.intake@covey.local';
  select id into carmen from auth.users where email = 'carmen.cases@covey.local';

  insert into public.team_members (org_id, team_id, user_id)
  select bloom_org, t.id, case t.name when 'Intake' then ivy else carmen end
  from public.teams t where t.org_id = bloom_org and t.name in ('Intake', 'Case management');

  select id into cases from public.pipelines where org_id = bloom_org and name = 'Cases';
  select id into parents from public.pipelines where org_id = bloom_org and name = 'Intended parents';

  -- Prospective surrogates, each a case at its stage of the journey.
  for c in
    select * from (values
      ('Jessica', 'Alvarez', 'San Antonio', 'TX', '210', 'New', '1994-03-12', 24.1, 2, 0, 'married'),
      ('Brittany', 'Coleman', 'Orlando', 'FL', '407', 'New', '1991-07-28', 26.4, 3, 0, 'married'),
      ('Ashley', 'Nguyen', 'San Diego', 'CA', '619', 'New', '1996-01-05', 22.8, 1, 0, 'partnered'),
      ('Kayla', 'Robinson', 'Columbus', 'OH', '614', 'New', '1993-10-19', 27.9, 2, 0, 'single'),
      ('Megan', 'Foster', 'Boise', 'ID', '208', 'New', '1990-05-23', 25.2, 3, 1, 'married'),
      ('Samantha', 'Brooks', 'Phoenix', 'AZ', '602', 'Contacted', '1992-12-02', 23.6, 2, 0, 'married'),
      ('Lauren', 'Mitchell', 'Nashville', 'TN', '615', 'Contacted', '1995-04-14', 28.3, 1, 0, 'partnered'),
      ('Amanda', 'Reyes', 'Las Vegas', 'NV', '702', 'Contacted', '1989-09-30', 26.0, 4, 1, 'married'),
      ('Rachel', 'Cooper', 'Portland', 'OR', '503', 'Contacted', '1994-06-08', 24.7, 2, 0, 'married'),
      ('Stephanie', 'Ward', 'Denver', 'CO', '303', 'Qualified', '1991-02-17', 25.5, 3, 0, 'married'),
      ('Nicole', 'Hughes', 'Raleigh', 'NC', '919', 'Qualified', '1993-08-21', 23.2, 2, 1, 'divorced'),
      ('Danielle', 'Price', 'Atlanta', 'GA', '404', 'Qualified', '1990-11-11', 27.1, 2, 0, 'married'),
      ('Heather', 'Bennett', 'Minneapolis', 'MN', '612', 'Applied', '1992-03-03', 24.9, 3, 0, 'married'),
      ('Tiffany', 'Perry', 'Seattle', 'WA', '206', 'Applied', '1995-12-27', 22.5, 1, 0, 'partnered'),
      ('Crystal', 'Sanders', 'Austin', 'TX', '512', 'Applied', '1988-07-09', 28.8, 4, 2, 'married'),
      ('Vanessa', 'Ortiz', 'Sacramento', 'CA', '916', 'Applied', '1993-05-16', 25.8, 2, 0, 'married'),
      ('Courtney', 'Long', 'Tampa', 'FL', '813', 'Under review', '1991-09-04', 26.6, 3, 1, 'married'),
      ('Lindsey', 'Patterson', 'Salt Lake City', 'UT', '801', 'Under review', '1994-01-22', 23.9, 2, 0, 'married'),
      ('Erin', 'Jenkins', 'Pittsburgh', 'PA', '412', 'Under review', '1990-04-10', 27.4, 2, 0, 'single'),
      ('Alicia', 'Flores', 'Albuquerque', 'NM', '505', 'Approved', '1992-08-13', 24.3, 3, 1, 'married'),
      ('Melissa', 'Griffin', 'Charlotte', 'NC', '704', 'Approved', '1989-12-05', 25.0, 2, 0, 'married'),
      ('Kristen', 'Hayes', 'Kansas City', 'MO', '816', 'Pending handoff', '1993-02-28', 26.2, 2, 0, 'partnered'),
      ('Monica', 'Ramirez', 'Houston', 'TX', '713', 'Pending handoff', '1991-06-18', 24.6, 3, 1, 'married'),
      ('Andrea', 'Russell', 'Indianapolis', 'IN', '317', 'Pending match', '1990-10-07', 25.7, 2, 1, 'married'),
      ('Natalie', 'Diaz', 'Fresno', 'CA', '559', 'Pending match', '1994-09-15', 23.4, 2, 0, 'married'),
      ('Katherine', 'Powell', 'Richmond', 'VA', '804', 'Matched', '1988-03-26', 26.9, 3, 2, 'married'),
      ('Christina', 'Butler', 'Milwaukee', 'WI', '414', 'Matched', '1992-11-30', 24.0, 2, 1, 'married'),
      ('Jennifer', 'Simmons', 'Oklahoma City', 'OK', '405', 'In journey', '1989-06-02', 25.3, 3, 1, 'married'),
      ('Rebecca', 'Wood', 'Des Moines', 'IA', '515', 'In journey', '1991-01-19', 27.6, 2, 1, 'married'),
      ('Holly', 'Barnes', 'Louisville', 'KY', '502', 'Not eligible', '1986-08-08', 33.5, 1, 0, 'single')
    ) as t(first_name, last_name, city, state, area, stage, born, bmi, pregnancies, surrogacies, marital)
  loop
    i := i + 1;
    insert into public.people (org_id, first_name, last_name, email, phone, city, state, country, source, owner_id,
                               custom, created_at)
    values (bloom_org, c.first_name, c.last_name,
            lower(c.first_name || '.' || c.last_name) || '@example.com',
            '+1' || c.area || '555' || lpad((300 + i)::text, 4, '0'), c.city, c.state, 'US',
            (array['Website', 'Facebook', 'Referral', 'Instagram'])[1 + i % 4],
            case when c.stage in ('Pending match', 'Matched', 'In journey') then carmen else ivy end,
            jsonb_build_object('date_of_birth', c.born, 'bmi', c.bmi, 'previous_pregnancies', c.pregnancies,
                               'previous_surrogacies', c.surrogacies, 'marital_status', c.marital),
            now() - make_interval(days => 75 - i * 2))
    returning id into pid;
    insert into public.deals (org_id, name, pipeline_id, stage_id, position, currency, owner_id, person_id,
                              created_at, stage_entered_at)
    values (bloom_org, c.first_name || ' ' || c.last_name, cases,
            (select s.id from public.pipeline_stages s where s.pipeline_id = cases and s.name = c.stage), i, 'USD',
            case when c.stage in ('Pending match', 'Matched', 'In journey') then carmen else ivy end, pid,
            now() - make_interval(days => 75 - i * 2), now() - make_interval(days => 1 + i % 9));
  end loop;

  -- Intended parents: budget is the deal's value, home country in the address.
  i := 0;
  for c in
    select * from (values
      ('Michael', 'Thompson', 'michael.thompson@example.com', '+14155550401', 'CA', 'US', 'Qualified', 16000000),
      ('David', 'Levi', 'david.levi@example.com', '+12125550402', 'NY', 'US', 'In review', 18000000),
      ('Sarah', 'Whitman', 'sarah.whitman@example.com', '+16175550403', 'MA', 'US', 'New', 15000000),
      ('Kenji', 'Watanabe', 'kenji.watanabe@example.com', '+81355550404', null, 'JP', 'Contacted', 20000000),
      ('Elena', 'Moreau', 'elena.moreau@example.com', '+33155550405', null, 'FR', 'Matched', 17500000),
      ('James', 'O''Connor', 'james.oconnor@example.com', '+35315550406', null, 'IE', 'Qualified', 16500000),
      ('Priya', 'Kapoor', 'priya.kapoor@example.com', '+13125550407', 'IL', 'US', 'Matched', 15500000),
      ('Lukas', 'Schneider', 'lukas.schneider@example.com', '+49305550408', null, 'DE', 'New', 19000000),
      ('Grace', 'Lin', 'grace.lin@example.com', '+12065550409', 'WA', 'US', 'On hold', 14000000),
      ('Robert', 'Hayes', 'robert.hayes@example.com', '+13055550410', 'FL', 'US', 'Declined', 12000000)
    ) as t(first_name, last_name, email, phone, state, country, stage, budget)
  loop
    i := i + 1;
    insert into public.people (org_id, first_name, last_name, email, phone, state, country, source, owner_id, created_at)
    values (bloom_org, c.first_name, c.last_name, c.email, c.phone, c.state, c.country,
            (array['Referral', 'Website', 'Clinic partner'])[1 + i % 3], carmen, now() - make_interval(days => 60 - i * 4))
    returning id into pid;
    insert into public.deals (org_id, name, pipeline_id, stage_id, position, value_minor, currency, owner_id, person_id,
                              custom, created_at, stage_entered_at)
    values (bloom_org, c.first_name || ' ' || c.last_name, parents,
            (select s.id from public.pipeline_stages s where s.pipeline_id = parents and s.name = c.stage), i,
            c.budget, 'USD', carmen, pid,
            jsonb_build_object('embryos_ready', i % 3 <> 0),
            now() - make_interval(days => 60 - i * 4), now() - make_interval(days => 2 + i % 7));
  end loop;

  -- A few cases flagged priority: two waiting for handoff, one under review.
  update public.deals set priority = true
   where org_id = bloom_org and pipeline_id = cases and name in ('Kristen Hayes', 'Monica Ramirez', 'Courtney Long');

  update public.timeline_events t set occurred_at = r.created_at
    from (select 'person' as type, id, created_at from public.people where org_id = bloom_org
          union all select 'deal', id, created_at from public.deals where org_id = bloom_org) r
   where t.org_id = bloom_org and t.kind = 'created' and t.subject_type = r.type and t.subject_id = r.id;
  update public.deal_stage_history h set changed_at = d.created_at
    from public.deals d where d.org_id = bloom_org and h.deal_id = d.id;
end
$$;

-- Bloom's handoff queue: the template makes "Pending handoff" the handoff
-- stage, so the cases seeded there wait for case management; Ivy submitted
-- them, one of them again after a denial.
do $$
declare
  bloom_org uuid := (select id from public.orgs where name = 'Bloom Surrogacy Partners');
  ivy uuid := (select id from auth.users where email = 'ivy.intake@covey.local');
  carmen uuid := (select id from auth.users where email = 'carmen.cases@covey.local');
  review uuid;
begin
  update public.deal_handoffs h
     set submitted_by = ivy, submitted_at = now() - make_interval(hours => (5 + row_number * 20)::int),
         from_stage_id = (select s.id from public.pipeline_stages s join public.pipelines p on p.id = s.pipeline_id
                          where p.org_id = bloom_org and p.name = 'Cases' and s.name = 'Approved')
    from (select id, row_number() over (order by deal_id) as row_number from public.deal_handoffs
          where org_id = bloom_org and decision is null) w
   where h.id = w.id;
  select s.id into review from public.pipeline_stages s join public.pipelines p on p.id = s.pipeline_id
   where p.org_id = bloom_org and p.name = 'Cases' and s.name = 'Under review';
  insert into public.deal_handoffs (org_id, deal_id, stage_id, from_stage_id, submitted_by, submitted_at,
                                    decision, decided_by, decided_at, reason)
  select bloom_org, h.deal_id, h.stage_id, h.from_stage_id, ivy, h.submitted_at - interval '3 days',
         'denied', carmen, h.submitted_at - interval '2 days', 'The medical records release is not signed yet'
    from public.deal_handoffs h join public.deals d on d.id = h.deal_id
   where h.org_id = bloom_org and h.decision is null and d.name = 'Monica Ramirez';
  update public.notifications n set title = d.name || ' is waiting in the handoff queue', body = 'Submitted by Ivy Intake from "Pending handoff"'
    from public.deal_handoffs h join public.deals d on d.id = h.deal_id
   where n.org_id = bloom_org and n.type = 'handoff_submitted' and n.dedupe_key = 'handoff:' || h.id;
end
$$;

-- Surrogacy demo, matching: the cases' expected compensation and the
-- parents' preferred states the suggestions read; two cases matched (made
-- by Carmen, as a case manager makes them, so the history and timelines
-- name her) and Natalie Diaz's match with Michael Thompson waiting on the
-- parents. Andrea Russell, pending a match in Indiana, shows what an unmet
-- criterion looks like.
do $$
declare
  bloom_org uuid := (select id from public.orgs where name = 'Bloom Surrogacy Partners');
  carmen uuid := (select id from auth.users where email = 'carmen.cases@covey.local');
  pair record;
  made uuid;
  step text;
begin
  update public.deals d set custom = d.custom || jsonb_build_object('expected_compensation', v.pay)
    from (values ('Natalie Diaz', 55000), ('Andrea Russell', 50000), ('Katherine Powell', 60000), ('Christina Butler', 52000))
         as v(name, pay)
   where d.org_id = bloom_org and d.name = v.name;
  update public.deals d set custom = d.custom || jsonb_build_object('preferred_states', v.states)
    from (values ('Michael Thompson', 'CA, NV, OR'), ('James O''Connor', 'TX, CA, FL'), ('David Levi', 'NY, NJ, CT'))
         as v(name, states)
   where d.org_id = bloom_org and d.name = v.name;

  perform set_config('request.jwt.claims', jsonb_build_object('sub', carmen, 'role', 'authenticated')::text, true);
  for pair in
    select * from (values ('Katherine Powell', 'Elena Moreau', 'matched'), ('Christina Butler', 'Priya Kapoor', 'matched'),
                          ('Natalie Diaz', 'Michael Thompson', 'right_review')) as t(surrogate, parents, upto)
  loop
    insert into public.matches (org_id, left_deal_id, right_deal_id)
    select bloom_org, c.id, p.id from public.deals c, public.deals p
     where c.org_id = bloom_org and c.name = pair.surrogate and p.org_id = bloom_org and p.name = pair.parents
    returning id into made;
    foreach step in array array['left_review', 'right_review', 'meeting', 'matched'] loop
      update public.matches set status = step where id = made;
      exit when step = pair.upto;
    end loop;
  end loop;
  perform set_config('request.jwt.claims', '', true);
end
$$;

-- Surrogacy demo: important dates on its cases (modules/crm/dates), most
-- within the next two weeks, so the dashboard's "Upcoming dates", the deal
-- pages' countdowns and the owners' reminders have something to show; one
-- is past (muted on its page).
insert into public.deal_dates (org_id, deal_id, kind, date, note, remind_days_before, created_by)
select d.org_id, d.id, k.kind, current_date + k.offset_days, k.note, k.remind, d.owner_id
  from (select d.org_id, d.id, d.owner_id, row_number() over (order by d.created_at, d.id) as n
          from public.deals d
          join public.pipelines p on p.id = d.pipeline_id and p.name = 'Cases'
          join public.orgs o on o.id = d.org_id and o.name = 'Bloom Surrogacy Partners') d
  join (values
    (1, 'Medical screening', 2, 'Fertility Center of Austin, 9:00. Bring ID and insurance card.', 1),
    (2, 'Psychological screening', 4, 'Video call with Dr. Alvarez.', 3),
    (3, 'Legal clearance', 6, 'Attorney review of the carrier agreement.', 3),
    (4, 'Embryo transfer', 9, 'Transfer at the IVF clinic; travel booked.', 7),
    (5, 'Contract signed', -5, null, null),
    (6, 'Pregnancy confirmation', 12, 'Beta hCG test.', 3),
    (7, 'Due date', 140, null, 14),
    (8, 'Medical screening', 13, 'Follow-up bloodwork.', 3)
  ) as k (n, kind, offset_days, note, remind) on k.n = d.n;
