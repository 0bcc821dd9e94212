-- An email on a timeline sits at the time it was sent or received, not the
-- time sync found it: an imported thread reads in the order it was written.
create or replace function private.email_changed() returns trigger
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
      select new.org_id, coalesce(new.received_at, new.sent_at, now()), 'email', new.user_id,
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
