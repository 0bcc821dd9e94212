-- Storing what Gmail sync finds, and the poll that backs up push.
--
-- private.store_gmail_message files one message of a mailbox (already
-- parsed by the sync job) under the person or lead it is with: the other
-- party's address is matched to the org's people, then its open leads, then
-- to whoever earlier emails of the same Gmail thread were filed under; a
-- message with nobody Covey knows is not stored. Stored once per mailbox and
-- Gmail id, however often a resync meets it. A new inbound email (not one
-- found by the initial import) tells the record's owner in their bell.
create function private.store_gmail_message(mailbox uuid, message jsonb, notify boolean) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  m public.gmail_mailboxes;
  inbound boolean;
  others text[];
  person uuid;
  lead uuid;
  deal uuid;
  owner uuid;
  stored uuid;
  who text;
begin
  select * into m from public.gmail_mailboxes g where g.id = store_gmail_message.mailbox;
  if m.id is null then
    return null;
  end if;
  inbound := lower(message ->> 'from') is distinct from lower(m.email);
  others := case when inbound then array[lower(message ->> 'from')]
                 else array(select lower(a) from jsonb_array_elements_text(coalesce(message -> 'to', '[]') || coalesce(message -> 'cc', '[]')) a) end;
  select p.id, p.owner_id into person, owner from public.people p
   where p.org_id = m.org_id and lower(p.email::text) = any (others) and p.archived_at is null
   order by p.created_at limit 1;
  if person is null then
    select l.id, l.owner_id, l.person_id into lead, owner, person from public.leads l
     where l.org_id = m.org_id and lower(l.email::text) = any (others) and l.archived_at is null
     order by l.created_at desc limit 1;
  end if;
  if person is null and lead is null and message ->> 'thread_id' is not null then
    select e.person_id, e.lead_id, e.deal_id into person, lead, deal from public.emails e
     where e.org_id = m.org_id and e.mailbox_id = m.id and e.provider_thread_id = message ->> 'thread_id'
       and (e.person_id is not null or e.lead_id is not null)
     order by e.created_at limit 1;
    if person is not null then
      select p.owner_id into owner from public.people p where p.id = person;
    elsif lead is not null then
      select l.owner_id into owner from public.leads l where l.id = lead;
    end if;
  end if;
  if person is null and lead is null then
    return null;
  end if;
  insert into public.emails (org_id, mailbox_id, user_id, direction, provider, provider_message_id, provider_thread_id,
                             message_id_header, in_reply_to, from_address, from_name, to_addresses, cc_addresses,
                             subject, body_html, body_text, snippet, status, sent_at, received_at, person_id, lead_id, deal_id)
  values (m.org_id, m.id, m.user_id, case when inbound then 'inbound' else 'outbound' end, 'gmail',
          message ->> 'id', message ->> 'thread_id', left(message ->> 'message_id', 1000), left(message ->> 'in_reply_to', 1000),
          left(coalesce(message ->> 'from', ''), 320), left(message ->> 'from_name', 300),
          array(select left(a, 320) from jsonb_array_elements_text(coalesce(message -> 'to', '[]')) a limit 50),
          array(select left(a, 320) from jsonb_array_elements_text(coalesce(message -> 'cc', '[]')) a limit 50),
          left(coalesce(message ->> 'subject', ''), 1000), left(message ->> 'html', 1000000), left(message ->> 'text', 1000000),
          left(message ->> 'snippet', 300), case when inbound then 'received' else 'sent' end,
          case when not inbound then (message ->> 'date')::timestamptz end,
          case when inbound then (message ->> 'date')::timestamptz end, person, lead, deal)
  on conflict (mailbox_id, provider_message_id) where mailbox_id is not null and provider_message_id is not null do nothing
  returning id into stored;
  if stored is not null and inbound and notify and owner is not null then
    who := coalesce(nullif(message ->> 'from_name', ''), message ->> 'from');
    perform private.notify_user(m.org_id, owner, 'email_received', left('Email from ' || who, 200),
      left(coalesce(nullif(message ->> 'subject', ''), '(no subject)') || ' — ' || coalesce(message ->> 'snippet', ''), 2000),
      case when person is not null then '/people/' || person::text else '/leads/' || lead::text end,
      'email_received:' || stored::text);
  end if;
  return stored;
end
$$;
revoke all on function private.store_gmail_message(uuid, jsonb, boolean) from public;
grant execute on function private.store_gmail_message(uuid, jsonb, boolean) to service_role;

-- Push can be lost (a watch lapses, Pub/Sub gives up): every connected
-- mailbox is also synced every 5 minutes.
insert into private.job_schedules (name, kind, payload, every)
values ('gmail.poll', 'gmail.poll', '{}', '5 minutes');
