-- A number's default may be a team instead of one member: a shared line
-- (Intake's number, the SDRs' number) whose texts the whole team sees, as
-- Close's group numbers and HubSpot's team inboxes work.
--
-- A text from a stranger to a team's number makes a lead that no one owns
-- (the org's routing rules still apply to it, and one may round-robin it
-- among the team), and every member of the team is told about the text for
-- as long as its record has no owner; once someone owns the record, only
-- they are told, as for any number. A number names an owner or a team or
-- neither, never both.

alter table public.phones
  add column default_team_id uuid,
  add constraint phones_one_default check (num_nonnulls(default_owner_id, default_team_id) <= 1),
  add constraint phones_default_team_fkey foreign key (default_team_id, org_id) references public.teams (id, org_id);
create index phones_team_idx on public.phones (default_team_id) where default_team_id is not null;
grant insert (default_team_id), update (default_team_id) on public.phones to authenticated;

-- A number's team is one of the org's active teams, and stays active while named.
create function private.check_phone_team() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.default_team_id is null then
    return new;
  end if;
  perform 1 from public.teams t where t.id = new.default_team_id and t.org_id = new.org_id and t.archived_at is null for share;
  if not found then
    raise exception 'Choose an active team of this workspace for %', new.number using errcode = '23514', hint = 'defaultTeamId';
  end if;
  return new;
end
$$;
create trigger phones_check_team before insert or update of default_team_id on public.phones
  for each row execute function private.check_phone_team();

create function private.guard_team_phones() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  phone text;
begin
  if tg_op = 'UPDATE' and (new.archived_at is null or old.archived_at is not null) then
    return new;
  end if;
  if tg_op = 'DELETE' and not exists (select 1 from public.orgs where id = old.org_id) then
    return old;
  end if;
  select p.number into phone from public.phones p where p.default_team_id = old.id order by p.created_at limit 1;
  if phone is not null then
    raise exception 'Texts to % go to this team: choose another default for the number in Settings → Numbers first', phone
      using errcode = '23514', hint = 'team_in_use';
  end if;
  return case tg_op when 'DELETE' then old else new end;
end
$$;
create trigger teams_guard_phones before update of archived_at or delete on public.teams
  for each row execute function private.guard_team_phones();

-- Beside private.sms_message_created, which tells the record's owner (else
-- the number's default owner): a text to a team's number on a record no one
-- owns tells every member of the team, once each (the same dedupe key).
create function private.sms_notify_team() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  team uuid;
  owner uuid;
  who text;
  link text;
begin
  select p.default_team_id into team from public.phones p where p.id = new.phone_id;
  if team is null then
    return null;
  end if;
  if new.person_id is not null then
    select p.owner_id, nullif(btrim(concat_ws(' ', p.first_name, p.last_name)), '') into owner, who
    from public.people p where p.id = new.person_id;
    link := '/people/' || new.person_id;
  elsif new.lead_id is not null then
    select l.owner_id, nullif(btrim(concat_ws(' ', l.first_name, l.last_name)), '') into owner, who
    from public.leads l where l.id = new.lead_id;
    link := '/leads/' || new.lead_id;
  end if;
  if owner is not null then
    return null;
  end if;
  perform private.notify_user(new.org_id, tm.user_id, 'inbound_message',
    'Text from ' || coalesce(who, new.contact_number) || ' to ' || t.name,
    case when new.body = '' then 'A picture message' else left(new.body, 280) end,
    link, 'sms:' || coalesce(new.provider_sid, new.id::text))
  from public.team_members tm join public.teams t on t.id = tm.team_id and t.archived_at is null
  where tm.team_id = team;
  return null;
end
$$;
create trigger sms_messages_notify_team after insert on public.sms_messages
  for each row when (new.direction = 'inbound') execute function private.sms_notify_team();
