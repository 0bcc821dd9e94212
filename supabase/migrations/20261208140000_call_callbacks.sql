-- Twilio's callbacks about a call, kept by CallSid before anything knows
-- whose call it is: an inbound call's row is written by the call.receive
-- job after Twilio has already been answered, and a click-to-call's SID is
-- recorded after Twilio accepted it, so a status, the member who answered
-- or a recording may arrive first. Each is kept once (by CallSid and what
-- it says), and a call takes what they add up to whenever its row has that
-- SID: the furthest status (a late `ringing` never takes a completed call
-- back), the duration, when it was answered and ended, who answered, the
-- recording. The callbacks and the row's SID take the same per-SID lock,
-- so neither can miss the other.
create table private.call_callbacks (
  call_sid text not null check (call_sid ~ '^CA[0-9a-f]{32}$'),
  -- 'status:<status>', 'answered' or 'recording:<RecordingSid>'.
  event text not null check (event ~ '^(status:[a-z-]{1,20}|answered|recording:RE[0-9a-f]{32})$'),
  status text check (status in ('queued', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'failed', 'canceled')),
  duration_seconds integer check (duration_seconds between 0 and 86400),
  answered_by uuid,
  recording_sid text check (recording_sid ~ '^RE[0-9a-f]{32}$'),
  recording_url text check (recording_url ~ '^https?://' and length(recording_url) <= 2000),
  recording_duration_seconds integer check (recording_duration_seconds between 0 and 86400),
  voicemail boolean not null default false,
  occurred_at timestamptz not null default now(),
  received_at timestamptz not null default now(),
  primary key (call_sid, event)
);
create index call_callbacks_received_idx on private.call_callbacks (received_at);
-- Only service_role reaches it; RLS on with no policy says so.
alter table private.call_callbacks enable row level security;
grant select, insert, delete on private.call_callbacks to service_role;

create function private.call_status_rank(status text) returns integer
language sql immutable parallel safe
return case status
  when 'queued' then 0 when 'ringing' then 1 when 'in-progress' then 2
  when 'completed' then 3 when 'busy' then 3 when 'no-answer' then 3 when 'failed' then 3 when 'canceled' then 3
  else -1 end;

create function private.call_lock(sid text) returns void
language sql volatile set search_path = '' as $$
  select pg_advisory_xact_lock(hashtextextended('call:' || sid, 0))
$$;

-- What the callbacks for `sid` add up to, applied to its call if it has a row yet.
create function private.call_apply_callbacks(sid text) returns void
language sql volatile security definer set search_path = '' as $$
  update public.calls c
     set status = case when private.call_status_rank(s.status) > private.call_status_rank(c.status) then s.status else c.status end,
         duration_seconds = coalesce(s.duration_seconds, c.duration_seconds),
         answered_at = coalesce(c.answered_at, s.answered_at),
         ended_at = coalesce(c.ended_at, s.ended_at),
         answered_by = coalesce(c.answered_by, s.answered_by),
         recording_sid = coalesce(c.recording_sid, r.recording_sid),
         recording_url = coalesce(c.recording_url, r.recording_url),
         recording_duration_seconds = coalesce(c.recording_duration_seconds, r.recording_duration_seconds),
         voicemail = c.voicemail or coalesce(r.voicemail, false)
    from (select
            (select e.status from private.call_callbacks e where e.call_sid = sid and e.status is not null
              order by private.call_status_rank(e.status) desc, e.received_at desc limit 1) as status,
            (select max(e.duration_seconds) from private.call_callbacks e where e.call_sid = sid) as duration_seconds,
            (select min(e.occurred_at) from private.call_callbacks e where e.call_sid = sid and e.status = 'in-progress') as answered_at,
            (select min(e.occurred_at) from private.call_callbacks e
              where e.call_sid = sid and private.call_status_rank(e.status) = 3) as ended_at,
            (select e.answered_by from private.call_callbacks e where e.call_sid = sid and e.event = 'answered'
              order by e.received_at limit 1) as answered_by) s
    left join lateral (select e.recording_sid, e.recording_url, e.recording_duration_seconds, e.voicemail
                       from private.call_callbacks e where e.call_sid = sid and e.recording_sid is not null
                       order by e.received_at limit 1) r on true
   where c.provider_sid = sid
     and (private.call_status_rank(s.status) > private.call_status_rank(c.status)
          or (s.duration_seconds is not null and s.duration_seconds is distinct from c.duration_seconds)
          or (c.answered_at is null and s.answered_at is not null)
          or (c.ended_at is null and s.ended_at is not null)
          or (c.answered_by is null and s.answered_by is not null)
          or (c.recording_sid is null and r.recording_sid is not null))
$$;

-- A status callback (the twilio-voice function, as service_role).
create function private.call_status_callback(sid text, status text, duration integer, occurred timestamptz) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  -- Twilio's `initiated` is Covey's `queued`: the call exists and rings nobody yet.
  s text := case when call_status_callback.status = 'initiated' then 'queued' else call_status_callback.status end;
begin
  perform private.call_lock(sid);
  insert into private.call_callbacks (call_sid, event, status, duration_seconds, occurred_at)
  values (sid, 'status:' || s, s, duration, coalesce(occurred, now()))
  on conflict do nothing;
  perform private.call_apply_callbacks(sid);
end
$$;
grant execute on function private.call_status_callback(text, text, integer, timestamptz) to service_role;

-- The member whose phone took a forwarded call (the <Dial> verb's action, as service_role).
create function private.call_answered_callback(sid text, member uuid) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.call_lock(sid);
  insert into private.call_callbacks (call_sid, event, answered_by) values (sid, 'answered', member)
  on conflict do nothing;
  perform private.call_apply_callbacks(sid);
end
$$;
grant execute on function private.call_answered_callback(text, uuid) to service_role;

-- A recording status callback (as service_role); `voicemail` when the caller left it after the greeting.
create function private.call_recording_callback(sid text, recording_sid text, url text, duration integer, voicemail boolean)
returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform private.call_lock(sid);
  insert into private.call_callbacks (call_sid, event, recording_sid, recording_url, recording_duration_seconds, voicemail)
  values (sid, 'recording:' || recording_sid, recording_sid, url, duration, voicemail)
  on conflict do nothing;
  perform private.call_apply_callbacks(sid);
end
$$;
grant execute on function private.call_recording_callback(text, text, text, integer, boolean) to service_role;

-- A call's row learning its SID (written by call.receive, or a click-to-call
-- recording what Twilio accepted) takes every callback that came before.
create function private.call_take_callbacks() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.call_lock(new.provider_sid);
  perform private.call_apply_callbacks(new.provider_sid);
  return null;
end
$$;
create trigger calls_take_callbacks after insert or update of provider_sid on public.calls
  for each row when (new.provider_sid is not null) execute function private.call_take_callbacks();

-- A voicemail tells whoever owns the record, else the number's default owner.
create function private.call_voicemail_notify() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  owner uuid;
  who text;
  link text;
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
    select p.default_owner_id into owner from public.phones p where p.id = new.phone_id;
  end if;
  if owner is not null then
    perform private.notify_user(new.org_id, owner, 'voicemail',
      'Voicemail from ' || coalesce(who, new.contact_number, 'a caller'),
      case when new.recording_duration_seconds is null then 'A new voicemail'
           else 'A ' || (new.recording_duration_seconds / 60) || ':' || lpad((new.recording_duration_seconds % 60)::text, 2, '0')
                || ' voicemail to ' || coalesce(new.org_number, 'your number') end,
      link, 'voicemail:' || coalesce(new.recording_sid, new.id::text));
  end if;
  return null;
end
$$;
create trigger calls_voicemail_notify after update of recording_url on public.calls
  for each row when (old.recording_url is null and new.recording_url is not null and new.voicemail)
  execute function private.call_voicemail_notify();

do $$
declare
  notices text[] := private.notification_types();
begin
  notices := notices || array(select t from unnest(array['voicemail']) t where not t = any (notices));
  execute format('create or replace function private.notification_types() returns text[] language sql immutable parallel safe return %L::text[]', notices);
end
$$;
