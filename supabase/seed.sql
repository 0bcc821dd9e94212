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
