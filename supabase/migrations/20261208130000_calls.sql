-- Phone calls with a person or a lead: those through the org's Twilio
-- numbers (inbound, and click-to-call), and those a member logs by hand
-- for a call made outside Covey.
--
-- A Twilio call is written by the twilio-voice function and its jobs (as
-- service_role) or, for click-to-call, by the member as `queued`; Twilio's
-- status and recording callbacks move it on. A logged call is written by
-- the member who made it, already over, with an outcome and notes.
-- Triggers write the timeline item and the `call.*` events in the
-- transaction of the row, so no path can skip them; the timeline shows the
-- call as it is now (status, duration, recording), joined by `call_id`.

create table public.calls (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  direction text not null check (direction in ('inbound', 'outbound')),
  -- 'twilio': through the org's numbers; 'manual': logged by a member.
  source text not null check (source in ('twilio', 'manual')),
  -- The org's number and the other party's, E.164; a logged call may know neither.
  -- The number stays readable after its phone row is removed.
  phone_id uuid,
  org_number text check (org_number ~ '^\+[1-9][0-9]{6,14}$'),
  contact_number text check (contact_number ~ '^\+[1-9][0-9]{6,14}$'),
  status text not null check (status in ('queued', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled')),
  -- What a logged call came to, in the member's words.
  outcome text check (outcome in ('connected', 'left_voicemail', 'no_answer', 'busy', 'wrong_number')),
  notes text not null default '' check (length(notes) <= 5000),
  duration_seconds integer check (duration_seconds between 0 and 86400),
  -- The member who placed or logged it.
  user_id uuid,
  -- The member whose phone took an inbound call.
  answered_by uuid,
  recording_sid text check (recording_sid ~ '^RE[0-9a-f]{32}$'),
  recording_url text check (recording_url ~ '^https?://' and length(recording_url) <= 2000),
  recording_duration_seconds integer check (recording_duration_seconds between 0 and 86400),
  voicemail boolean not null default false,
  -- Twilio's CallSid.
  provider_sid text unique check (provider_sid ~ '^CA[0-9a-f]{32}$'),
  person_id uuid,
  lead_id uuid,
  started_at timestamptz not null default now(),
  answered_at timestamptz,
  ended_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  check (num_nonnulls(person_id, lead_id) >= 1),
  check (source = 'manual' or (org_number is not null and contact_number is not null)),
  check (source = 'twilio' or (provider_sid is null and outcome is not null)),
  foreign key (phone_id, org_id) references public.phones (id, org_id) on delete set null (phone_id),
  foreign key (person_id, org_id) references public.people (id, org_id) on delete cascade,
  foreign key (lead_id, org_id) references public.leads (id, org_id) on delete cascade,
  foreign key (user_id, org_id) references public.org_members (user_id, org_id) on delete set null (user_id),
  foreign key (answered_by, org_id) references public.org_members (user_id, org_id) on delete set null (answered_by)
);
create index calls_org_idx on public.calls (org_id, started_at desc);
create index calls_person_idx on public.calls (person_id, started_at desc) where person_id is not null;
create index calls_lead_idx on public.calls (lead_id, started_at desc) where lead_id is not null;
create index calls_phone_idx on public.calls (phone_id);
create index calls_user_idx on public.calls (user_id);
create index calls_answered_by_idx on public.calls (answered_by);
alter table public.calls enable row level security;

grant select on public.calls to authenticated;
grant insert (org_id, direction, source, phone_id, org_number, contact_number, status, outcome, notes, duration_seconds,
              user_id, person_id, lead_id, started_at)
  on public.calls to authenticated;
grant update (notes) on public.calls to authenticated;
grant select, insert, update on public.calls to service_role;

create policy calls_select on public.calls for select to authenticated
  using (public.is_member_of(org_id));
-- Members log their own calls and start click-to-call as themselves; only Twilio's callbacks move a call on.
create policy calls_insert on public.calls for insert to authenticated
  with check (public.is_member_of(org_id) and user_id = auth.uid()
              and (source = 'manual' or (direction = 'outbound' and status = 'queued')));
create policy calls_update on public.calls for update to authenticated
  using (public.is_member_of(org_id))
  with check (public.is_member_of(org_id));

create trigger calls_touch before update on public.calls
  for each row execute function private.touch_updated_at();
create trigger calls_audit after insert or update or delete on public.calls
  for each row execute function private.audit();

create function private.call_event_data(c public.calls) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object(
    'id', c.id, 'direction', c.direction, 'source', c.source,
    'from', case when c.direction = 'inbound' then c.contact_number else c.org_number end,
    'to', case when c.direction = 'inbound' then c.org_number else c.contact_number end,
    'status', c.status, 'outcome', c.outcome, 'duration_seconds', c.duration_seconds, 'user_id', c.user_id,
    'answered_by', c.answered_by, 'recording_url', c.recording_url,
    'recording_duration_seconds', c.recording_duration_seconds, 'voicemail', c.voicemail,
    'provider_sid', c.provider_sid, 'person_id', c.person_id, 'lead_id', c.lead_id,
    'started_at', c.started_at, 'answered_at', c.answered_at, 'ended_at', c.ended_at)
$$;

create function private.call_created() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  record_company uuid;
begin
  if new.person_id is not null then
    select p.company_id into record_company from public.people p where p.id = new.person_id;
  end if;
  insert into public.timeline_events (org_id, occurred_at, kind, actor_id, actor_type, subject_type, subject_id,
                                      person_id, company_id, lead_id, data)
  values (new.org_id, new.started_at,
          case when new.source = 'manual' then 'call_logged' when new.direction = 'inbound' then 'call_received' else 'call_placed' end,
          case when new.direction = 'outbound' or new.source = 'manual' then coalesce(new.user_id, auth.uid()) end,
          case when new.direction = 'outbound' or new.source = 'manual' then private.actor_type() else 'system' end,
          case when new.person_id is not null then 'person' else 'lead' end,
          coalesce(new.person_id, new.lead_id), new.person_id, record_company, new.lead_id,
          jsonb_build_object('call_id', new.id, 'direction', new.direction));
  perform private.emit(new.org_id, case when new.source = 'manual' then 'call.logged' else 'call.started' end,
                       'call', new.id, private.call_event_data(new), '{}');
  return null;
end
$$;
create trigger calls_created after insert on public.calls
  for each row execute function private.call_created();

-- A Twilio call that ends, and a recording that arrives, are told once each.
create function private.call_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.source = 'twilio' and old.status is distinct from new.status
     and new.status in ('completed', 'busy', 'no-answer', 'failed', 'canceled')
     and old.status not in ('completed', 'busy', 'no-answer', 'failed', 'canceled') then
    perform private.emit(new.org_id, 'call.ended', 'call', new.id, private.call_event_data(new),
                         jsonb_build_object('status', jsonb_build_array(old.status, new.status)));
  end if;
  if old.recording_url is null and new.recording_url is not null then
    perform private.emit(new.org_id, 'call.recorded', 'call', new.id, private.call_event_data(new), '{}');
  end if;
  return null;
end
$$;
create trigger calls_changed after update of status, recording_url on public.calls
  for each row execute function private.call_changed();

do $$
declare
  events text[] := private.domain_event_types();
begin
  events := events || array(select t from unnest(array['call.logged', 'call.started', 'call.ended', 'call.recorded']) t where not t = any (events));
  execute format('create or replace function private.domain_event_types() returns text[] language sql immutable parallel safe return %L::text[]', events);
end
$$;
