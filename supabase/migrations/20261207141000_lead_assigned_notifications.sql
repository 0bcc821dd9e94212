-- A lead's new owner hears of it in their bell when someone else made them
-- the owner: a colleague in the app or an API key acting for one. A
-- trigger, so no such path can skip it; in the transaction of the
-- assignment, so an assignment that rolls back notifies no one.
-- Assignments the system makes (no signed-in caller: routing rules, jobs,
-- ingest) are told by that system itself, in its own words (routing names
-- its rule), so they are left out here rather than notified twice.
--
-- The dedupe key names the lead, the new owner and the moment of the
-- assignment (the transaction's time): the same assignment never notifies
-- twice, while a lead handed back to someone later notifies them again.

create function private.notify_lead_assigned() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  actor uuid := auth.uid();
  actor_name text;
  source_label text;
begin
  if actor is null or new.owner_id is null or new.owner_id = actor or new.archived_at is not null then
    return null;
  end if;
  if tg_op = 'UPDATE' and new.owner_id is not distinct from old.owner_id then
    return null;
  end if;
  select coalesce(nullif(btrim(p.full_name), ''), p.email::text) into actor_name
  from public.profiles p where p.user_id = actor;
  select s.label into source_label from public.lead_sources s where s.org_id = new.org_id and s.key = new.source;
  perform private.notify_user(
    new.org_id,
    new.owner_id,
    'lead_assigned',
    format('%s was assigned to you', coalesce(nullif(new.full_name, ''), new.email::text, new.phone, 'A lead')),
    format('%s lead, assigned by %s.', coalesce(source_label, new.source), coalesce(actor_name, 'a colleague')),
    format('/leads/%s', new.id),
    format('lead:%s:owner:%s:%s', new.id, new.owner_id, extract(epoch from now()))
  );
  return null;
end
$$;
revoke all on function private.notify_lead_assigned() from public;

create trigger leads_notify_assigned after insert or update of owner_id on public.leads
  for each row execute function private.notify_lead_assigned();
