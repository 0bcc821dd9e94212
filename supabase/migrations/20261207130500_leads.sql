-- Leads: someone who asked for something (a web form, a Meta lead ad, a
-- text, a call, an API call) before they are a customer. A lead keeps what
-- arrived (the raw payload, its UTM and ad attribution) beside the fields a
-- team works with, and is converted into a person, a company and a deal.
--
-- Sources and statuses are per-org data, seeded for every org as pipelines
-- are: the built-in sources and the default statuses new → qualified →
-- routed → won / lost. A lead names them by key, through composite foreign
-- keys, so an org can add its own and the API speaks the same words.
--
-- What runs when a lead changes, all in the transaction of the change:
--   before each row   touch updated_at; guard archive and owner changes;
--                     check custom values; status time, converted once
--   after each row    status history; audit row; timeline items and
--                     domain events (lead.created, lead.updated,
--                     lead.status_changed, lead.converted, archived,
--                     restored, deleted)

create type public.lead_status_category as enum ('open', 'won', 'lost');

create table public.lead_sources (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  -- The name leads, filters, the API and ingest functions use.
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null check (length(btrim(label)) between 1 and 80),
  -- Sources Covey itself writes (web_form, meta, sms, ...): renamable, never deleted.
  built_in boolean not null default false,
  position int not null default 0,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, key)
);
create index lead_sources_org_idx on public.lead_sources (org_id, position);
alter table public.lead_sources enable row level security;

create table public.lead_statuses (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null check (length(btrim(label)) between 1 and 80),
  -- Whether a lead in this status is still being worked, or done either way.
  category public.lead_status_category not null default 'open',
  built_in boolean not null default false,
  position int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, key)
);
create index lead_statuses_org_idx on public.lead_statuses (org_id, position);
alter table public.lead_statuses enable row level security;

create table public.leads (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  source text not null default 'manual',
  status text not null default 'new',
  owner_id uuid,
  -- The person the lead is (linked on arrival when known, or by Convert),
  -- and what Convert made or linked.
  person_id uuid,
  company_id uuid,
  deal_id uuid,
  first_name text check (length(first_name) <= 100),
  last_name text check (length(last_name) <= 100),
  full_name text generated always as
    (btrim(coalesce(first_name, '') || ' ' || coalesce(last_name, ''))) stored,
  email citext check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  -- E.164.
  phone text check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  company_name text check (length(company_name) <= 200),
  -- US states as 2-letter codes (normalised by the app); free text elsewhere.
  state text check (length(state) <= 100),
  message text check (length(message) <= 10000),
  -- utm_source, utm_medium, ... without the prefix.
  utm jsonb not null default '{}'
    check (jsonb_typeof(utm) = 'object' and utm - array['source', 'medium', 'campaign', 'term', 'content'] = '{}'),
  -- The ad that brought the lead: ad_id, adgroup_id, campaign_id, form_id,
  -- page_id (Meta's names; other providers map onto them).
  attribution jsonb not null default '{}'
    check (jsonb_typeof(attribution) = 'object'
           and attribution - array['ad_id', 'adgroup_id', 'campaign_id', 'form_id', 'page_id'] = '{}'),
  -- The provider's id for the lead (Meta's leadgen id, a form submission's
  -- id): a provider delivering the same lead again updates this row.
  external_id text check (length(external_id) between 1 and 200),
  -- What the provider sent, as it sent it.
  raw jsonb,
  custom jsonb not null default '{}',
  status_changed_at timestamptz not null default now(),
  converted_at timestamptz,
  converted_by uuid references auth.users (id) on delete set null,
  archived_at timestamptz,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  -- NULLs are distinct: leads without a provider id never clash.
  constraint leads_external_key unique (org_id, source, external_id),
  constraint leads_contact_check check (num_nonnulls(nullif(btrim(coalesce(first_name, '') || coalesce(last_name, '')), ''),
                                                     email, phone) > 0),
  foreign key (org_id, source) references public.lead_sources (org_id, key),
  foreign key (org_id, status) references public.lead_statuses (org_id, key),
  foreign key (owner_id, org_id) references public.org_members (user_id, org_id) on delete set null (owner_id),
  foreign key (person_id, org_id) references public.people (id, org_id) on delete set null (person_id),
  foreign key (company_id, org_id) references public.companies (id, org_id) on delete set null (company_id),
  foreign key (deal_id, org_id) references public.deals (id, org_id) on delete set null (deal_id)
);
create index leads_list_created_idx on public.leads (org_id, created_at desc nulls last, id desc) where archived_at is null;
create index leads_org_status_idx on public.leads (org_id, status);
create index leads_org_source_idx on public.leads (org_id, source);
create index leads_org_owner_idx on public.leads (org_id, owner_id);
create index leads_org_email_idx on public.leads (org_id, email) where email is not null;
create index leads_org_phone_idx on public.leads (org_id, phone) where phone is not null;
create index leads_person_idx on public.leads (person_id) where person_id is not null;
create index leads_company_idx on public.leads (company_id) where company_id is not null;
create index leads_deal_idx on public.leads (deal_id) where deal_id is not null;
alter table public.leads enable row level security;

create table public.lead_status_history (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  lead_id uuid not null,
  -- Keys, not references: a status may be deleted once no lead has it.
  from_status text,
  to_status text not null,
  changed_by uuid references auth.users (id) on delete set null,
  changed_at timestamptz not null default now(),
  foreign key (lead_id, org_id) references public.leads (id, org_id) on delete cascade
);
create index lead_status_history_lead_idx on public.lead_status_history (lead_id, changed_at desc, id desc);
create index lead_status_history_org_idx on public.lead_status_history (org_id, changed_at desc);
alter table public.lead_status_history enable row level security;

-- ---------------------------------------------------------------------------
-- Grants and policies. Sources and statuses are settings (owners/admins);
-- members work leads; owners and admins hard-delete them.
-- ---------------------------------------------------------------------------
grant select on public.lead_sources, public.lead_statuses, public.leads, public.lead_status_history to authenticated;
grant insert (org_id, key, label, position) on public.lead_sources to authenticated;
grant update (label, position, archived_at) on public.lead_sources to authenticated;
grant delete on public.lead_sources to authenticated;
grant insert (org_id, key, label, category, position) on public.lead_statuses to authenticated;
grant update (label, category, position) on public.lead_statuses to authenticated;
grant delete on public.lead_statuses to authenticated;
grant insert (id, org_id, source, status, owner_id, person_id, company_id, deal_id, first_name, last_name, email, phone,
              company_name, state, message, utm, attribution, external_id, raw, custom, archived_at)
  on public.leads to authenticated;
grant update (source, status, owner_id, person_id, company_id, deal_id, first_name, last_name, email, phone, company_name,
              state, message, utm, attribution, custom, converted_at, archived_at)
  on public.leads to authenticated;
grant delete on public.leads to authenticated;

create policy lead_sources_select on public.lead_sources for select to authenticated using (public.is_member_of(org_id));
create policy lead_sources_insert on public.lead_sources for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy lead_sources_update on public.lead_sources for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}')) with check (public.has_org_role(org_id, '{owner,admin}'));
create policy lead_sources_delete on public.lead_sources for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}') and not built_in);

create policy lead_statuses_select on public.lead_statuses for select to authenticated using (public.is_member_of(org_id));
create policy lead_statuses_insert on public.lead_statuses for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy lead_statuses_update on public.lead_statuses for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}')) with check (public.has_org_role(org_id, '{owner,admin}'));
create policy lead_statuses_delete on public.lead_statuses for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}') and not built_in);

create policy leads_select on public.leads for select to authenticated using (public.is_member_of(org_id));
create policy leads_insert on public.leads for insert to authenticated with check (public.is_member_of(org_id));
create policy leads_update on public.leads for update to authenticated
  using (public.is_member_of(org_id)) with check (public.is_member_of(org_id));
create policy leads_delete on public.leads for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy lead_status_history_select on public.lead_status_history for select to authenticated
  using (public.is_member_of(org_id));

-- ---------------------------------------------------------------------------
-- Defaults for every org: the sources Covey writes and the default statuses.
-- ---------------------------------------------------------------------------
create function private.seed_lead_settings(org uuid) returns void
language sql security definer set search_path = '' as $$
  insert into public.lead_sources (org_id, key, label, built_in, position)
  values (org, 'web_form', 'Web form', true, 0),
         (org, 'meta', 'Meta', true, 1),
         (org, 'sms', 'SMS', true, 2),
         (org, 'twilio_call', 'Phone call', true, 3),
         (org, 'api', 'API', true, 4),
         (org, 'import', 'Import', true, 5),
         (org, 'manual', 'Manual', true, 6)
  on conflict (org_id, key) do nothing;
  insert into public.lead_statuses (org_id, key, label, category, built_in, position)
  values (org, 'new', 'New', 'open', true, 0),
         (org, 'qualified', 'Qualified', 'open', true, 1),
         (org, 'routed', 'Routed', 'open', true, 2),
         (org, 'won', 'Won', 'won', true, 3),
         (org, 'lost', 'Lost', 'lost', true, 4)
  on conflict (org_id, key) do nothing;
$$;

create function private.create_default_lead_settings() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.seed_lead_settings(new.id);
  return null;
end
$$;
create trigger orgs_default_lead_settings after insert on public.orgs
  for each row execute function private.create_default_lead_settings();

select private.seed_lead_settings(id) from public.orgs;

-- ---------------------------------------------------------------------------
-- Lead rules
-- ---------------------------------------------------------------------------

-- A status change stamps its time; conversion happens once and is not undone
-- (the person, company and deal it made stay).
create function private.lead_defaults() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    if new.status is distinct from old.status then
      new.status_changed_at := now();
    end if;
    if old.converted_at is not null and new.converted_at is distinct from old.converted_at then
      raise exception 'This lead is already converted' using errcode = '23514', hint = 'converted_at';
    end if;
  end if;
  if new.converted_at is not null and (tg_op = 'INSERT' or old.converted_at is null) then
    new.converted_by := auth.uid();
  end if;
  return new;
end
$$;

create function private.record_lead_status() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    insert into public.lead_status_history (org_id, lead_id, from_status, to_status, changed_by)
    values (new.org_id, new.id, case when tg_op = 'UPDATE' then old.status end, new.status, auth.uid());
  end if;
  return null;
end
$$;

-- ---------------------------------------------------------------------------
-- Timeline and events. A lead's timeline items carry lead_id; conversion's
-- item also names the person, company and deal, so it shows on theirs.
-- ---------------------------------------------------------------------------
alter table public.timeline_events add column lead_id uuid;
alter table public.timeline_events drop constraint timeline_events_subject_type_check;
alter table public.timeline_events add constraint timeline_events_subject_type_check
  check (subject_type in ('person', 'company', 'deal', 'task', 'note', 'lead'));
create index timeline_lead_idx on public.timeline_events (lead_id, occurred_at desc, id desc) where lead_id is not null;

create function private.lead_status_label(org uuid, status text) returns text
language sql stable security definer set search_path = '' as $$
  select coalesce((select s.label from public.lead_statuses s where s.org_id = org and s.key = status), status)
$$;

create function private.lead_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  o jsonb;
  n jsonb;
  diff jsonb;
  rest jsonb;
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
begin
  if tg_op = 'INSERT' then
    perform private.emit(new.org_id, 'lead.created', 'lead', new.id, to_jsonb(new), '{}');
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id, data)
    values (new.org_id, 'created', actor, kind_of_actor, 'lead', new.id, new.id, jsonb_build_object('source', new.source));
    return null;
  elsif tg_op = 'DELETE' then
    -- A deleted org takes its events with it.
    if exists (select 1 from public.orgs where id = old.org_id) then
      perform private.emit(old.org_id, 'lead.deleted', 'lead', old.id, to_jsonb(old), '{}');
    end if;
    return null;
  end if;
  o := to_jsonb(old);
  n := to_jsonb(new);
  -- A provider delivering the same lead again rewrites `raw`: not news.
  diff := private.row_diff(o, n, array['updated_at', 'status_changed_at', 'full_name', 'raw', 'converted_by']);
  if diff = '{}' then
    return null;
  end if;
  rest := diff;
  if diff ? 'archived_at' then
    perform private.emit(new.org_id, case when new.archived_at is null then 'lead.restored' else 'lead.archived' end,
                         'lead', new.id, n, jsonb_build_object('archived_at', diff -> 'archived_at'));
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id)
    values (new.org_id, case when new.archived_at is null then 'restored' else 'archived' end,
            actor, kind_of_actor, 'lead', new.id, new.id);
    rest := rest - 'archived_at';
  end if;
  if diff ? 'status' then
    perform private.emit(new.org_id, 'lead.status_changed', 'lead', new.id, n,
                         jsonb_build_object('status', diff -> 'status'));
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id, data)
    values (new.org_id, 'status_changed', actor, kind_of_actor, 'lead', new.id, new.id,
            jsonb_build_object('from', old.status, 'to', new.status,
                               'from_label', private.lead_status_label(new.org_id, old.status),
                               'to_label', private.lead_status_label(new.org_id, new.status)));
    rest := rest - 'status';
  end if;
  if diff ? 'converted_at' then
    perform private.emit(new.org_id, 'lead.converted', 'lead', new.id, n,
                         jsonb_build_object('converted_at', diff -> 'converted_at', 'person_id', diff -> 'person_id',
                                            'company_id', diff -> 'company_id', 'deal_id', diff -> 'deal_id'));
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                        lead_id, person_id, company_id, deal_id, data)
    values (new.org_id, 'converted', actor, kind_of_actor, 'lead', new.id,
            new.id, new.person_id, new.company_id, new.deal_id,
            jsonb_build_object('lead_name', coalesce(nullif(new.full_name, ''), new.email::text, new.phone),
                               'source', new.source));
    rest := rest - array['converted_at', 'person_id', 'company_id', 'deal_id'];
  end if;
  if rest <> '{}' then
    perform private.emit(new.org_id, 'lead.updated', 'lead', new.id, n, rest);
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id, data)
    values (new.org_id, 'updated', actor, kind_of_actor, 'lead', new.id, new.id, jsonb_build_object('changes', rest));
  end if;
  return null;
end
$$;

-- A deleted lead's own items go; items it shares with a person, company or
-- deal (its conversion) stay there without it.
create function private.lead_timeline_deleted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  delete from public.timeline_events
  where lead_id in (select id from deleted) and person_id is null and company_id is null and deal_id is null;
  update public.timeline_events set lead_id = null where lead_id in (select id from deleted);
  return null;
end
$$;
revoke all on function private.lead_timeline_deleted() from public;

create trigger lead_sources_touch before update on public.lead_sources
  for each row execute function private.touch_updated_at();
create trigger lead_sources_audit after insert or update or delete on public.lead_sources
  for each row execute function private.audit();
create trigger lead_statuses_touch before update on public.lead_statuses
  for each row execute function private.touch_updated_at();
create trigger lead_statuses_audit after insert or update or delete on public.lead_statuses
  for each row execute function private.audit();

create trigger leads_touch before update on public.leads
  for each row execute function private.touch_updated_at();
create trigger leads_guard before update of archived_at, owner_id on public.leads
  for each row execute function private.guard_record_update();
create trigger leads_custom before insert or update of custom on public.leads
  for each row when (new.custom is null or new.custom <> '{}'::jsonb) execute function private.check_custom_fields('lead');
create trigger leads_defaults before insert or update on public.leads
  for each row execute function private.lead_defaults();
create trigger leads_status_history after insert or update of status on public.leads
  for each row execute function private.record_lead_status();
create trigger leads_audit after insert or update or delete on public.leads
  for each row execute function private.audit();
create trigger leads_changed after insert or update or delete on public.leads
  for each row execute function private.lead_changed();
create trigger leads_timeline_deleted after delete on public.leads
  referencing old table as deleted for each statement execute function private.lead_timeline_deleted();

-- ---------------------------------------------------------------------------
-- Event types: the lead family joins the list every writer is held to.
-- ---------------------------------------------------------------------------
create or replace function private.domain_event_types() returns text[]
language sql immutable parallel safe
return array[
  'person.created', 'person.updated', 'person.archived', 'person.restored', 'person.merged', 'person.deleted',
  'company.created', 'company.updated', 'company.archived', 'company.restored', 'company.merged', 'company.deleted',
  'deal.created', 'deal.updated', 'deal.moved', 'deal.won', 'deal.lost', 'deal.archived', 'deal.restored',
  'deal.deleted',
  'task.created', 'task.updated', 'task.completed', 'task.archived', 'task.restored', 'task.deleted',
  'note.created', 'note.updated', 'note.deleted',
  'lead.created', 'lead.updated', 'lead.status_changed', 'lead.converted', 'lead.archived', 'lead.restored',
  'lead.deleted',
  'integration.webhook_disabled',
  -- An endpoint's own test event, sent to that endpoint only.
  'webhook.test'
]::text[];
