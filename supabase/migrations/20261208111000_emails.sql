-- Every email Covey sends or receives: from a member's Gmail (sent from a
-- record's compose drawer, or synced from their mailbox) and the system's
-- own mail through Resend (invitations, partner offers, sign-in links) when
-- it belongs to an org. Linked to the person, lead and deal it is about.
-- A member's outbound email is written by the member's own transaction
-- (queued, then sent with Gmail's ids, or failed with Gmail's reason);
-- inbound and system mail by service_role. The timeline item and the
-- `email.*` event are written by triggers, in the same transaction.
create table public.emails (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  mailbox_id uuid,
  -- Who sent it (outbound) or whose mailbox it came into (inbound); null for system mail.
  user_id uuid references auth.users (id) on delete set null,
  direction text not null check (direction in ('outbound', 'inbound')),
  provider text not null check (provider in ('gmail', 'resend', 'dev_mailbox')),
  provider_message_id text check (length(provider_message_id) <= 200),
  provider_thread_id text check (length(provider_thread_id) <= 200),
  -- RFC 5322 Message-ID, which a reply names in In-Reply-To and References.
  message_id_header text check (length(message_id_header) <= 1000),
  in_reply_to text check (length(in_reply_to) <= 1000),
  from_address text not null check (length(from_address) <= 320),
  from_name text check (length(from_name) <= 300),
  to_addresses text[] not null default '{}',
  cc_addresses text[] not null default '{}',
  bcc_addresses text[] not null default '{}',
  subject text not null default '' check (length(subject) <= 1000),
  body_html text check (length(body_html) <= 1000000),
  body_text text check (length(body_text) <= 1000000),
  snippet text check (length(snippet) <= 300),
  status text not null check (status in ('queued', 'sent', 'failed', 'received')),
  error text check (length(error) <= 1000),
  -- What kind of system mail (invite, magiclink, partner_offer...); null for a member's.
  tag text check (tag ~ '^[a-z_]{1,40}$'),
  sent_at timestamptz,
  received_at timestamptz,
  person_id uuid,
  lead_id uuid,
  deal_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  check ((direction = 'inbound') = (status = 'received')),
  foreign key (mailbox_id, org_id) references public.gmail_mailboxes (id, org_id) on delete set null (mailbox_id),
  foreign key (person_id, org_id) references public.people (id, org_id) on delete set null (person_id),
  foreign key (lead_id, org_id) references public.leads (id, org_id) on delete set null (lead_id),
  foreign key (deal_id, org_id) references public.deals (id, org_id) on delete set null (deal_id)
);
-- A Gmail message is stored once per mailbox, however often sync meets it.
create unique index emails_mailbox_message_idx on public.emails (mailbox_id, provider_message_id)
  where mailbox_id is not null and provider_message_id is not null;
create index emails_org_created_idx on public.emails (org_id, created_at desc, id desc);
create index emails_thread_idx on public.emails (org_id, provider_thread_id) where provider_thread_id is not null;
create index emails_person_idx on public.emails (person_id) where person_id is not null;
create index emails_lead_idx on public.emails (lead_id) where lead_id is not null;
create index emails_deal_idx on public.emails (deal_id) where deal_id is not null;
alter table public.emails enable row level security;

grant select on public.emails to authenticated;
grant insert (org_id, mailbox_id, user_id, direction, provider, from_address, from_name, to_addresses, cc_addresses,
              bcc_addresses, subject, body_html, body_text, snippet, status, in_reply_to, provider_thread_id,
              person_id, lead_id, deal_id)
  on public.emails to authenticated;
grant update (status, error, provider_message_id, provider_thread_id, message_id_header, sent_at) on public.emails to authenticated;
grant select, insert, update, delete on public.emails to service_role;

create policy emails_select on public.emails for select to authenticated
  using (public.is_member_of(org_id));
-- A member logs only their own outbound Gmail, from their own connected mailbox, queued.
create policy emails_insert on public.emails for insert to authenticated
  with check (public.is_member_of(org_id) and user_id = auth.uid() and direction = 'outbound' and provider = 'gmail'
              and status = 'queued'
              and exists (select 1 from public.gmail_mailboxes m
                          where m.id = mailbox_id and m.user_id = auth.uid() and m.status = 'connected'));
-- ...and records what Gmail answered about it.
create policy emails_update on public.emails for update to authenticated
  using (public.is_member_of(org_id) and user_id = auth.uid() and direction = 'outbound')
  with check (public.is_member_of(org_id) and user_id = auth.uid() and status in ('queued', 'sent', 'failed'));

create trigger emails_touch before update on public.emails
  for each row execute function private.touch_updated_at();

-- Timeline items point at their email, which the timeline reads for its current state.
alter table public.timeline_events add column email_id uuid;
create index timeline_email_idx on public.timeline_events (email_id) where email_id is not null;

-- What a webhook receiver gets: the email as the API shows it.
create function private.email_payload(e public.emails) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object(
    'id', e.id, 'direction', e.direction, 'provider', e.provider, 'status', e.status,
    'provider_message_id', e.provider_message_id, 'provider_thread_id', e.provider_thread_id,
    'from', e.from_address, 'from_name', e.from_name, 'to', to_jsonb(e.to_addresses), 'cc', to_jsonb(e.cc_addresses),
    'bcc', to_jsonb(e.bcc_addresses), 'subject', e.subject, 'snippet', e.snippet, 'error', e.error,
    'person_id', e.person_id, 'lead_id', e.lead_id, 'deal_id', e.deal_id, 'user_id', e.user_id,
    'sent_at', e.sent_at, 'received_at', e.received_at, 'created_at', e.created_at)
$$;

-- An email about a record appears on its timeline (and, through
-- private.timeline_refs, on its deal's person and company) when it is
-- written; `email.sent`, `email.failed` and `email.received` go to the
-- outbox when it reaches that state.
create function private.email_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  subject_type text;
  subject_id uuid;
begin
  if tg_op = 'INSERT' then
    if new.person_id is not null or new.deal_id is not null or new.lead_id is not null then
      subject_type := case when new.deal_id is not null then 'deal' when new.person_id is not null then 'person' else 'lead' end;
      subject_id := coalesce(new.deal_id, new.person_id, new.lead_id);
      insert into public.timeline_events (org_id, occurred_at, kind, actor_id, actor_type, subject_type, subject_id,
                                          person_id, company_id, deal_id, lead_id, email_id, data)
      select new.org_id, coalesce(new.received_at, now()), 'email', new.user_id,
             case when new.direction = 'inbound' or new.user_id is null then 'system' else private.actor_type() end,
             subject_type, subject_id, r.person_id, r.company_id, r.deal_id, new.lead_id, new.id,
             jsonb_build_object('direction', new.direction, 'subject', new.subject)
      from private.timeline_refs(new.person_id, null, new.deal_id) r;
    end if;
    if new.status = 'received' then
      perform private.emit(new.org_id, 'email.received', 'email', new.id, private.email_payload(new), '{}');
    elsif new.status = 'sent' then
      perform private.emit(new.org_id, 'email.sent', 'email', new.id, private.email_payload(new), '{}');
    end if;
  elsif new.status is distinct from old.status and new.status in ('sent', 'failed') then
    perform private.emit(new.org_id, 'email.' || new.status, 'email', new.id, private.email_payload(new), '{}');
  end if;
  return null;
end
$$;
create trigger emails_changed after insert or update of status on public.emails
  for each row execute function private.email_changed();
