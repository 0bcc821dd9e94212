-- A voicemail tells whoever owns the record, else the number's default
-- owner, else, when the number belongs to a team, every member of that team
-- (once each, under one dedupe key), as a text to a team's number does.
create or replace function private.call_voicemail_notify() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  owner uuid;
  team uuid;
  who text;
  link text;
  title text;
  body text;
  dedupe text;
begin
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
    select p.default_owner_id, p.default_team_id into owner, team from public.phones p where p.id = new.phone_id;
  end if;
  title := 'Voicemail from ' || coalesce(who, new.contact_number, 'a caller');
  body := case when new.recording_duration_seconds is null then 'A new voicemail'
               else 'A ' || (new.recording_duration_seconds / 60) || ':' || lpad((new.recording_duration_seconds % 60)::text, 2, '0')
                    || ' voicemail to ' || coalesce(new.org_number, 'your number') end;
  dedupe := 'voicemail:' || coalesce(new.recording_sid, new.id::text);
  if owner is not null then
    perform private.notify_user(new.org_id, owner, 'voicemail', title, body, link, dedupe);
  elsif team is not null then
    perform private.notify_user(new.org_id, tm.user_id, 'voicemail', title || ' to ' || t.name, body, link, dedupe)
    from public.team_members tm join public.teams t on t.id = tm.team_id and t.archived_at is null
    where tm.team_id = team;
  end if;
  return null;
end
$$;
