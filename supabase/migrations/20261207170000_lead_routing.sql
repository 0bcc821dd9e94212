-- Lead routing and fulfillment partners: the data. Rules say, in order, who
-- takes a new lead (a user, the next of several users in turn, or an outside
-- partner); partners are the businesses leads are handed to; a delivery is
-- one lead offered to one partner, answered through a single-use link.
-- The engine that applies the rules is the next migration.
--
-- Admins manage rules and partners; every member reads them (a member sees
-- why a lead came to them). Deliveries are seen by managers and up; nobody
-- writes them directly: the engine and the partner's link do.

create table public.partners (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  contact_email citext not null check (contact_email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  -- E.164.
  phone text check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  -- US states (2-letter codes) the partner serves; empty: any.
  states text[] not null default '{}' check (cardinality(states) <= 60 and array_position(states, null) is null),
  -- Deliveries offered in the last 24 hours / 7 days at most; null: no limit.
  capacity_per_day int check (capacity_per_day between 1 and 100000),
  capacity_per_week int check (capacity_per_week between 1 and 100000),
  -- How long the partner has to answer before the offer expires.
  response_hours int not null default 24 check (response_hours between 1 and 720),
  notes text check (length(notes) <= 2000),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id)
);
create index partners_org_idx on public.partners (org_id, name);
alter table public.partners enable row level security;

create table public.lead_routing_rules (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 120),
  -- Rules are tried in this order; the first that matches and has someone
  -- to give the lead to takes it.
  position int not null check (position >= 0),
  enabled boolean not null default true,
  -- Conditions, all of which must hold; an empty one holds for every lead.
  -- sources: lead source keys. form_ids: a web form's id or a Meta lead
  -- form's id. states: 2-letter US codes. utm: {source: "facebook", ...},
  -- compared without case. custom_field/custom_value: a lead custom field
  -- holding that value (or, for a multi-select, including it).
  sources text[] not null default '{}' check (cardinality(sources) <= 50),
  form_ids text[] not null default '{}' check (cardinality(form_ids) <= 50),
  states text[] not null default '{}' check (cardinality(states) <= 60),
  utm jsonb not null default '{}'
    check (jsonb_typeof(utm) = 'object' and utm - array['source', 'medium', 'campaign', 'term', 'content'] = '{}'),
  custom_field text check (custom_field ~ '^[a-z][a-z0-9_]{0,62}$'),
  custom_value text check (length(custom_value) between 1 and 500),
  -- assign: the one user listed; round_robin: the users listed, in turn;
  -- partner: the first listed partner able to take it.
  action text not null check (action in ('assign', 'round_robin', 'partner')),
  -- How many leads round-robin has handed out: the next goes to member
  -- number cursor mod n. Advanced by one atomic UPDATE, so concurrent leads
  -- each get their own turn.
  rr_cursor bigint not null default 0,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  check ((custom_field is null) = (custom_value is null)),
  -- A reorder rewrites every position in one transaction.
  constraint lead_routing_rules_position_key unique (org_id, position) deferrable initially deferred
);
alter table public.lead_routing_rules enable row level security;

-- Who a rule gives leads to: users (assign, round_robin) or partners, in order.
create table public.routing_rule_members (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  rule_id uuid not null,
  user_id uuid,
  partner_id uuid,
  position int not null check (position >= 0),
  -- Leads this member was given by the rule (shown beside the rule).
  assigned_count int not null default 0,
  last_assigned_at timestamptz,
  check (num_nonnulls(user_id, partner_id) = 1),
  foreign key (rule_id, org_id) references public.lead_routing_rules (id, org_id) on delete cascade,
  -- Someone who leaves the org leaves the rotation.
  foreign key (user_id, org_id) references public.org_members (user_id, org_id) on delete cascade,
  foreign key (partner_id, org_id) references public.partners (id, org_id) on delete cascade,
  unique (rule_id, user_id),
  unique (rule_id, partner_id)
);
create index routing_rule_members_rule_idx on public.routing_rule_members (rule_id, position);
create index routing_rule_members_partner_idx on public.routing_rule_members (partner_id) where partner_id is not null;
create index routing_rule_members_user_idx on public.routing_rule_members (user_id) where user_id is not null;
alter table public.routing_rule_members enable row level security;

-- One lead offered to one partner. sent → accepted | rejected | expired.
create table public.partner_deliveries (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  lead_id uuid not null,
  partner_id uuid not null,
  -- The rule that chose the partner (null once the rule is deleted).
  rule_id uuid,
  status text not null default 'sent' check (status in ('sent', 'accepted', 'rejected', 'expired')),
  channel text not null default 'email' check (channel in ('email')),
  -- SHA-256 of the link's token; the token itself exists only in the email.
  -- Set when the email goes out; never readable by members.
  token_hash bytea unique check (length(token_hash) = 32),
  -- When the email went out.
  notified_at timestamptz,
  expires_at timestamptz not null,
  responded_at timestamptz,
  reason text check (length(reason) <= 1000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'sent') = (responded_at is null)),
  check (reason is null or status = 'rejected'),
  foreign key (lead_id, org_id) references public.leads (id, org_id) on delete cascade,
  foreign key (partner_id, org_id) references public.partners (id, org_id) on delete cascade,
  foreign key (rule_id, org_id) references public.lead_routing_rules (id, org_id) on delete set null (rule_id)
);
-- A lead waits on one partner at a time.
create unique index partner_deliveries_open_idx on public.partner_deliveries (lead_id) where status = 'sent';
create index partner_deliveries_lead_idx on public.partner_deliveries (lead_id, created_at desc);
create index partner_deliveries_partner_idx on public.partner_deliveries (partner_id, created_at desc);
create index partner_deliveries_org_idx on public.partner_deliveries (org_id, created_at desc);
create index partner_deliveries_expiry_idx on public.partner_deliveries (expires_at) where status = 'sent';
alter table public.partner_deliveries enable row level security;

grant select on public.partners, public.lead_routing_rules, public.routing_rule_members to authenticated;
grant insert (org_id, name, contact_email, phone, states, capacity_per_day, capacity_per_week, response_hours, notes, active)
  on public.partners to authenticated;
grant update (name, contact_email, phone, states, capacity_per_day, capacity_per_week, response_hours, notes, active)
  on public.partners to authenticated;
grant delete on public.partners to authenticated;
grant insert (org_id, name, position, enabled, sources, form_ids, states, utm, custom_field, custom_value, action)
  on public.lead_routing_rules to authenticated;
grant update (name, position, enabled, sources, form_ids, states, utm, custom_field, custom_value, action)
  on public.lead_routing_rules to authenticated;
grant delete on public.lead_routing_rules to authenticated;
grant insert (org_id, rule_id, user_id, partner_id, position) on public.routing_rule_members to authenticated;
grant update (position) on public.routing_rule_members to authenticated;
grant delete on public.routing_rule_members to authenticated;
grant select (id, org_id, lead_id, partner_id, rule_id, status, channel, notified_at, expires_at, responded_at, reason,
              created_at, updated_at)
  on public.partner_deliveries to authenticated;

create policy partners_select on public.partners for select to authenticated using (public.is_member_of(org_id));
create policy partners_insert on public.partners for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy partners_update on public.partners for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}')) with check (public.has_org_role(org_id, '{owner,admin}'));
create policy partners_delete on public.partners for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy lead_routing_rules_select on public.lead_routing_rules for select to authenticated
  using (public.is_member_of(org_id));
create policy lead_routing_rules_insert on public.lead_routing_rules for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy lead_routing_rules_update on public.lead_routing_rules for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}')) with check (public.has_org_role(org_id, '{owner,admin}'));
create policy lead_routing_rules_delete on public.lead_routing_rules for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy routing_rule_members_select on public.routing_rule_members for select to authenticated
  using (public.is_member_of(org_id));
create policy routing_rule_members_insert on public.routing_rule_members for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy routing_rule_members_update on public.routing_rule_members for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}')) with check (public.has_org_role(org_id, '{owner,admin}'));
create policy routing_rule_members_delete on public.routing_rule_members for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy partner_deliveries_select on public.partner_deliveries for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin,manager}'));

create trigger partners_touch before update on public.partners
  for each row execute function private.touch_updated_at();
create trigger partners_audit after insert or update or delete on public.partners
  for each row execute function private.audit();
-- The round-robin cursor and counts move with every lead: not an edit of the rule.
create trigger lead_routing_rules_touch before update of name, position, enabled, sources, form_ids, states, utm, custom_field, custom_value, action on public.lead_routing_rules
  for each row execute function private.touch_updated_at();
create trigger lead_routing_rules_audit after insert or delete or update of name, position, enabled, sources, form_ids, states, utm, custom_field, custom_value, action on public.lead_routing_rules
  for each row execute function private.audit();
create trigger routing_rule_members_audit after insert or delete or update of position on public.routing_rule_members
  for each row execute function private.audit();
create trigger partner_deliveries_touch before update on public.partner_deliveries
  for each row execute function private.touch_updated_at();
create trigger partner_deliveries_audit after insert or update or delete on public.partner_deliveries
  for each row execute function private.audit();
