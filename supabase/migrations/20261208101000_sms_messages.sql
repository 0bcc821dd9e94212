-- Text messages through the org's Twilio numbers, in and out.
--
-- A message is on one record: a person, a lead, or a deal (then also on the
-- deal's person's timeline). Inbound ones are written by the sms.receive
-- job (modules/sms) after the twilio-sms function checked Twilio's
-- signature; outbound ones by a member (or an API key acting for one) as
-- `queued`, and the same transaction queues the sms.send job. Triggers write
-- the timeline item, the outbox event and the inbound notification in the
-- transaction of the row, so no path can skip them.
--
-- Delivery: Twilio's status callbacks are kept in private.sms_status_events
-- by MessageSid, whether or not the send has recorded that SID yet, and a
-- message takes the furthest status any of them reached; the send and the
-- callbacks take the same per-SID lock, so neither can miss the other.

create table public.sms_messages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  direction text not null check (direction in ('inbound', 'outbound')),
  -- The org's number and the other party's, E.164; the number stays readable after the phone row is removed.
  phone_id uuid,
  org_number text not null check (org_number ~ '^\+[1-9][0-9]{6,14}$'),
  contact_number text not null check (contact_number ~ '^\+[1-9][0-9]{6,14}$'),
  body text not null default '' check (length(body) <= 1600),
  media_urls text[] not null default '{}' check (cardinality(media_urls) <= 10),
  status text not null check (status in ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received')),
  error_code integer,
  error_message text check (length(error_message) <= 500),
  -- Twilio's MessageSid: set on receipt, or once Twilio accepted a send.
  provider_sid text unique check (provider_sid ~ '^(SM|MM)[0-9a-f]{32}$'),
  segments integer check (segments between 0 and 100),
  person_id uuid,
  lead_id uuid,
  deal_id uuid,
  -- Who sent an outbound message.
  author_id uuid,
  -- An inbound message nobody has opened yet is unread for the whole team.
  read_at timestamptz,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  delivered_at timestamptz,
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  check (num_nonnulls(person_id, lead_id, deal_id) >= 1),
  check (direction = 'outbound' or status = 'received'),
  check (direction = 'inbound' or status <> 'received'),
  check (body <> '' or cardinality(media_urls) > 0),
  foreign key (phone_id, org_id) references public.phones (id, org_id) on delete set null (phone_id),
  foreign key (person_id, org_id) references public.people (id, org_id) on delete cascade,
  foreign key (lead_id, org_id) references public.leads (id, org_id) on delete cascade,
  foreign key (deal_id, org_id) references public.deals (id, org_id) on delete cascade,
  foreign key (author_id, org_id) references public.org_members (user_id, org_id) on delete set null (author_id)
);
create index sms_messages_org_idx on public.sms_messages (org_id, created_at desc);
create index sms_messages_thread_idx on public.sms_messages (org_id, contact_number, created_at desc);
create index sms_messages_person_idx on public.sms_messages (person_id, created_at desc) where person_id is not null;
create index sms_messages_lead_idx on public.sms_messages (lead_id, created_at desc) where lead_id is not null;
create index sms_messages_deal_idx on public.sms_messages (deal_id) where deal_id is not null;
create index sms_messages_phone_idx on public.sms_messages (phone_id);
create index sms_messages_author_idx on public.sms_messages (author_id);
create index sms_messages_unread_idx on public.sms_messages (org_id, contact_number) where read_at is null and direction = 'inbound';
alter table public.sms_messages enable row level security;

grant select on public.sms_messages to authenticated;
grant insert (org_id, direction, phone_id, org_number, contact_number, body, media_urls, status, segments, person_id, lead_id, deal_id, author_id)
  on public.sms_messages to authenticated;
grant update (read_at) on public.sms_messages to authenticated;
grant select, insert, update on public.sms_messages to service_role;

create policy sms_messages_select on public.sms_messages for select to authenticated
  using (public.is_member_of(org_id));
-- Members send as themselves; only the receive job writes inbound messages.
create policy sms_messages_insert on public.sms_messages for insert to authenticated
  with check (public.is_member_of(org_id) and direction = 'outbound' and status = 'queued' and author_id = auth.uid());
create policy sms_messages_update on public.sms_messages for update to authenticated
  using (public.is_member_of(org_id))
  with check (public.is_member_of(org_id));

create trigger sms_messages_touch before update on public.sms_messages
  for each row execute function private.touch_updated_at();

-- Who asked not to be texted, per number of the org: STOP (and STOPALL,
-- UNSUBSCRIBE, CANCEL, END, QUIT) from a contact to a number opts them out
-- of texts from that number, START or UNSTOP back in.
create table public.sms_opt_outs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  org_number text not null check (org_number ~ '^\+[1-9][0-9]{6,14}$'),
  contact_number text not null check (contact_number ~ '^\+[1-9][0-9]{6,14}$'),
  opted_out boolean not null,
  keyword text not null check (keyword ~ '^[A-Z]{1,20}$'),
  changed_at timestamptz not null default now(),
  constraint sms_opt_outs_contact_key unique (org_id, org_number, contact_number)
);
alter table public.sms_opt_outs enable row level security;
grant select on public.sms_opt_outs to authenticated;
grant select, insert, update on public.sms_opt_outs to service_role;
create policy sms_opt_outs_select on public.sms_opt_outs for select to authenticated
  using (public.is_member_of(org_id));

-- Twilio's status callbacks, kept by MessageSid before anything knows
-- whose message it is (a callback may beat the send to recording its SID).
-- Only service_role reaches it; RLS on with no policy says so.
create table private.sms_status_events (
  message_sid text not null check (message_sid ~ '^(SM|MM)[0-9a-f]{32}$'),
  status text not null check (status ~ '^[a-z_]{1,20}$'),
  error_code integer,
  received_at timestamptz not null default now(),
  primary key (message_sid, status)
);
create index sms_status_events_received_idx on private.sms_status_events (received_at);
alter table private.sms_status_events enable row level security;
grant select, insert, delete on private.sms_status_events to service_role;

-- How far a message got: a later callback for an earlier step (Twilio does
-- not promise their order) never takes it back.
create function private.sms_status_rank(status text) returns integer
language sql immutable parallel safe
return case status
  when 'queued' then 0 when 'sending' then 1 when 'accepted' then 1 when 'sent' then 2
  when 'delivered' then 3 when 'undelivered' then 3 when 'failed' then 3 when 'read' then 3
  else -1 end;

-- The furthest status recorded for `sid`, applied to its message if it has one yet.
create function private.sms_apply_status(sid text) returns void
language sql volatile security definer set search_path = '' as $$
  update public.sms_messages m
     set status = case when e.status = 'read' then 'delivered' else e.status end,
         error_code = coalesce(e.error_code, m.error_code),
         sent_at = coalesce(m.sent_at, case when private.sms_status_rank(e.status) >= 2 then e.received_at end),
         delivered_at = case when e.status in ('delivered', 'read') then coalesce(m.delivered_at, e.received_at) else m.delivered_at end
    from (select ev.status, ev.error_code, ev.received_at from private.sms_status_events ev
          where ev.message_sid = sid and private.sms_status_rank(ev.status) >= 0
          order by private.sms_status_rank(ev.status) desc, ev.received_at desc limit 1) e
   where m.provider_sid = sid and m.direction = 'outbound'
     and private.sms_status_rank(e.status) > private.sms_status_rank(m.status)
$$;

-- One per-SID lock that the send and the callbacks both take first.
create function private.sms_lock(sid text) returns void
language sql volatile set search_path = '' as $$
  select pg_advisory_xact_lock(hashtextextended('sms:' || sid, 0))
$$;

-- A status callback (the twilio-sms function, as service_role): kept once per status, applied if the SID is known.
create function private.sms_status_callback(sid text, status text, error_code integer) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.sms_lock(sid);
  insert into private.sms_status_events (message_sid, status, error_code)
  values (sid, sms_status_callback.status, sms_status_callback.error_code)
  on conflict do nothing;
  perform private.sms_apply_status(sid);
end
$$;
grant execute on function private.sms_status_callback(text, text, integer) to service_role;

-- The send job's outcome: Twilio accepted the message as `sid`, then every callback that came before applies.
create function private.sms_record_send(message uuid, sid text, status text, segments integer) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.sms_lock(sid);
  update public.sms_messages m
     set provider_sid = sid,
         status = case when private.sms_status_rank(sms_record_send.status) > private.sms_status_rank(m.status)
                       then sms_record_send.status else m.status end,
         segments = coalesce(sms_record_send.segments, m.segments)
   where m.id = message and m.direction = 'outbound';
  perform private.sms_apply_status(sid);
end
$$;
grant execute on function private.sms_record_send(uuid, text, text, integer) to service_role;

-- ---------------------------------------------------------------------------
-- What a message sets off, in its own transaction.
-- ---------------------------------------------------------------------------

-- A refusal a sender can act on: the contact opted out of this number, or the number does not send texts.
create function private.sms_check_send() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.direction <> 'outbound' then
    return new;
  end if;
  if exists (select 1 from public.sms_opt_outs o
             where o.org_id = new.org_id and o.org_number = new.org_number and o.contact_number = new.contact_number
               and o.opted_out) then
    raise exception '% replied STOP to %: they have opted out of texts from this number until they text START.',
      new.contact_number, new.org_number using errcode = 'P0001', hint = 'to';
  end if;
  if not exists (select 1 from public.phones p where p.org_id = new.org_id and p.number = new.org_number and p.sms_enabled) then
    raise exception '% is not one of this workspace''s texting numbers.', new.org_number using errcode = 'P0001', hint = 'from';
  end if;
  return new;
end
$$;
create trigger sms_messages_check_send before insert on public.sms_messages
  for each row execute function private.sms_check_send();

create function private.sms_message_event_data(m public.sms_messages) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object(
    'id', m.id, 'direction', m.direction, 'from', case when m.direction = 'inbound' then m.contact_number else m.org_number end,
    'to', case when m.direction = 'inbound' then m.org_number else m.contact_number end,
    'body', m.body, 'media_urls', to_jsonb(m.media_urls), 'status', m.status, 'error_code', m.error_code,
    'provider_sid', m.provider_sid, 'segments', m.segments, 'person_id', m.person_id, 'lead_id', m.lead_id,
    'deal_id', m.deal_id, 'author_id', m.author_id, 'created_at', m.created_at, 'sent_at', m.sent_at,
    'delivered_at', m.delivered_at)
$$;

create function private.sms_message_created() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  deal_person uuid;
  deal_company uuid;
  record_person uuid := new.person_id;
  record_company uuid;
  owner uuid;
  who text;
  link text;
begin
  if new.deal_id is not null then
    select d.person_id, d.company_id into deal_person, deal_company from public.deals d where d.id = new.deal_id;
    record_person := coalesce(record_person, deal_person);
  end if;
  if record_person is not null then
    select p.company_id into record_company from public.people p where p.id = record_person;
  end if;
  insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                      person_id, company_id, deal_id, lead_id, data)
  values (new.org_id, case new.direction when 'inbound' then 'sms_received' else 'sms_sent' end,
          case when new.direction = 'outbound' then coalesce(new.author_id, auth.uid()) end,
          case when new.direction = 'outbound' then private.actor_type() else 'system' end,
          case when new.deal_id is not null then 'deal' when new.person_id is not null then 'person' else 'lead' end,
          coalesce(new.deal_id, new.person_id, new.lead_id),
          record_person, coalesce(record_company, deal_company), new.deal_id, new.lead_id,
          jsonb_build_object('sms_id', new.id, 'direction', new.direction));
  perform private.emit(new.org_id, case new.direction when 'inbound' then 'sms.received' else 'sms.sent' end,
                       'sms', new.id, private.sms_message_event_data(new), '{}');

  if new.direction = 'outbound' then
    perform private.enqueue_job('sms.send', jsonb_build_object('id', new.id), new.org_id, 'sms-send:' || new.id::text, now(), 8);
    return null;
  end if;

  -- An inbound text tells whoever owns the record, else the number's default owner.
  if new.person_id is not null then
    select p.owner_id, nullif(btrim(concat_ws(' ', p.first_name, p.last_name)), '') into owner, who
    from public.people p where p.id = new.person_id;
    link := '/people/' || new.person_id;
  elsif new.lead_id is not null then
    select l.owner_id, nullif(btrim(concat_ws(' ', l.first_name, l.last_name)), '') into owner, who
    from public.leads l where l.id = new.lead_id;
    link := '/leads/' || new.lead_id;
  end if;
  if owner is null then
    select p.default_owner_id into owner from public.phones p where p.id = new.phone_id;
  end if;
  if owner is not null then
    perform private.notify_user(new.org_id, owner, 'inbound_message',
      'Text from ' || coalesce(who, new.contact_number),
      case when new.body = '' then 'A picture message' else left(new.body, 280) end,
      link, 'sms:' || coalesce(new.provider_sid, new.id::text));
  end if;
  return null;
end
$$;
create trigger sms_messages_created after insert on public.sms_messages
  for each row execute function private.sms_message_created();

create function private.sms_message_status_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.status = 'delivered' then
    perform private.emit(new.org_id, 'sms.delivered', 'sms', new.id, private.sms_message_event_data(new),
                         jsonb_build_object('status', jsonb_build_array(old.status, new.status)));
  elsif new.status in ('undelivered', 'failed') then
    perform private.emit(new.org_id, 'sms.failed', 'sms', new.id, private.sms_message_event_data(new),
                         jsonb_build_object('status', jsonb_build_array(old.status, new.status)));
  end if;
  return null;
end
$$;
create trigger sms_messages_status_changed after update of status on public.sms_messages
  for each row when (old.status is distinct from new.status) execute function private.sms_message_status_changed();

-- A text from a contact to one of the org's numbers (the sms.receive job, as
-- service_role), on the record the job matched: stored once per MessageSid,
-- opt-out keywords applied. Returns the message id, or null for a SID seen before.
create function private.sms_receive(org uuid, phone uuid, sid text, org_number text, contact_number text, body text,
                                    media_urls text[], segments integer, person uuid, lead uuid)
returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  keyword text := upper(btrim(coalesce(sms_receive.body, '')));
  created uuid;
begin
  insert into public.sms_messages (org_id, direction, phone_id, org_number, contact_number, body, media_urls, status,
                                   provider_sid, segments, person_id, lead_id)
  values (org, 'inbound', phone, org_number, contact_number, coalesce(sms_receive.body, ''), coalesce(media_urls, '{}'),
          'received', sid, segments, person, lead)
  on conflict (provider_sid) do nothing
  returning id into created;
  if created is null then
    return null;
  end if;
  if keyword in ('STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'START', 'UNSTOP') then
    insert into public.sms_opt_outs as o (org_id, org_number, contact_number, opted_out, keyword)
    values (org, sms_receive.org_number, sms_receive.contact_number, keyword not in ('START', 'UNSTOP'), keyword)
    on conflict on constraint sms_opt_outs_contact_key
      do update set opted_out = excluded.opted_out, keyword = excluded.keyword, changed_at = now();
  end if;
  return created;
end
$$;
grant execute on function private.sms_receive(uuid, uuid, text, text, text, text, text[], integer, uuid, uuid) to service_role;

-- ---------------------------------------------------------------------------
-- Registries: the event types and the notification type join their lists.
-- ---------------------------------------------------------------------------
-- The lists are extended with what they already hold, not restated, so this
-- file composes with any other migration that adds its own types.
do $$
declare
  events text[] := private.domain_event_types();
  notices text[] := private.notification_types();
begin
  events := events || array(select t from unnest(array['sms.received', 'sms.sent', 'sms.delivered', 'sms.failed']) t where not t = any (events));
  notices := notices || array(select t from unnest(array['inbound_message']) t where not t = any (notices));
  execute format('create or replace function private.domain_event_types() returns text[] language sql immutable parallel safe return %L::text[]', events);
  execute format('create or replace function private.notification_types() returns text[] language sql immutable parallel safe return %L::text[]', notices);
end
$$;
