-- The org's own message templates for texts and email, with {{variables}}
-- filled from the record they are sent from (modules/templates).
--
-- Everyone in the org reads them and uses them in the compose drawers. Any
-- member may write a template of their own; managers and up (who own how the
-- team talks to customers) edit and archive anyone's, including the starters
-- every org is given. Templates are archived, never deleted, so what a
-- colleague is halfway through using does not vanish under them.
--
-- An email template's body is the compose editor's HTML, sanitised by the
-- app before it is stored; its plain-text alternative is null while it is
-- generated from the HTML, and holds the author's own text once they edit it.

create table public.message_templates (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  channel text not null check (channel in ('sms', 'email')),
  name text not null check (name = btrim(name) and length(name) between 1 and 100),
  subject text check (length(subject) <= 500),
  body text not null check (length(body) between 1 and 200000),
  text_body text check (length(text_body) <= 200000),
  archived_at timestamptz,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  check (channel = 'email' or (subject is null and text_body is null and length(body) <= 1600)),
  check (channel = 'sms' or (subject is not null and length(btrim(subject)) >= 1)),
  foreign key (created_by, org_id) references public.org_members (user_id, org_id) on delete set null (created_by)
);
-- One live template per name and channel; an archived one keeps its name without blocking a new one.
create unique index message_templates_name_key on public.message_templates (org_id, channel, lower(name)) where archived_at is null;
create index message_templates_org_idx on public.message_templates (org_id, channel, name);
create index message_templates_created_by_idx on public.message_templates (created_by);
alter table public.message_templates enable row level security;

grant select on public.message_templates to authenticated, service_role;
grant insert (org_id, channel, name, subject, body, text_body, created_by) on public.message_templates to authenticated;
grant update (name, subject, body, text_body, archived_at) on public.message_templates to authenticated;

create policy message_templates_select on public.message_templates for select to authenticated
  using (public.is_member_of(org_id));
create policy message_templates_insert on public.message_templates for insert to authenticated
  with check (public.is_member_of(org_id) and created_by = (select auth.uid()));
create policy message_templates_update on public.message_templates for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin,manager}') or (public.is_member_of(org_id) and created_by = (select auth.uid())))
  with check (public.has_org_role(org_id, '{owner,admin,manager}') or (public.is_member_of(org_id) and created_by = (select auth.uid())));

create trigger message_templates_touch before update on public.message_templates
  for each row execute function private.touch_updated_at();
create trigger message_templates_audit after insert or update or delete on public.message_templates
  for each row execute function private.audit();

-- The starters: what a small sales or service team sends most, each with a
-- fallback where a record may lack the value, so none is refused at once.
create function private.seed_message_templates(org uuid) returns void
language sql security definer set search_path = '' as $$
  insert into public.message_templates (org_id, channel, name, subject, body, text_body)
  select org, s.channel, s.name, s.subject, s.body, null
    from (values
      ('sms', 'Introduction', null,
       'Hi {{first_name|there}}, this is {{my_first_name}} from {{org_name}}. Thanks for reaching out! When is a good time to talk?'),
      ('sms', 'Follow-up', null,
       'Hi {{first_name|there}}, just following up on our conversation. Any questions I can answer? – {{my_first_name}}'),
      ('sms', 'Missed call', null,
       'Hi {{first_name|there}}, sorry I missed your call. I''ll try you again shortly. – {{my_first_name}}, {{org_name}}'),
      ('sms', 'Appointment reminder', null,
       'Hi {{first_name|there}}, a reminder of our appointment tomorrow with {{org_name}}. Reply to confirm or reschedule.'),
      ('email', 'Introduction', 'Great to meet you, {{first_name|there}}',
       '<p>Hi {{first_name|there}},</p><p>Thanks for your interest in {{org_name}}. I''d love to learn more about what {{company|your team}} is working on and see whether we can help.</p><p>Would a 20-minute call this week work for you?</p><p>Best,<br>{{my_name}}</p>'),
      ('email', 'Follow-up', 'Following up',
       '<p>Hi {{first_name|there}},</p><p>I wanted to follow up on my last message. Is this still a priority for {{company|you}}? If the timing is not right, just let me know and I''ll check back later.</p><p>Best,<br>{{my_name}}</p>'),
      ('email', 'Meeting recap', 'Recap of our conversation',
       '<p>Hi {{first_name|there}},</p><p>Thank you for your time today. As discussed, here are the next steps:</p><ul><li>…</li></ul><p>Let me know if I missed anything.</p><p>Best,<br>{{my_name}}<br>{{org_name}}</p>'),
      ('email', 'Proposal sent', 'Your proposal from {{org_name}}',
       '<p>Hi {{first_name|there}},</p><p>As promised, I''ve sent over the proposal. Happy to walk you through it or answer any questions.</p><p>Best,<br>{{my_name}}</p>')
    ) as s (channel, name, subject, body)
   where not exists (select 1 from public.message_templates t
                      where t.org_id = org and t.channel = s.channel and lower(t.name) = lower(s.name) and t.archived_at is null);
$$;

create function private.create_default_message_templates() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.seed_message_templates(new.id);
  return null;
end
$$;
create trigger orgs_message_templates after insert on public.orgs
  for each row execute function private.create_default_message_templates();

select private.seed_message_templates(id) from public.orgs;
