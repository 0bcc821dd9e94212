-- How each number answers a call (the twilio-voice function reads these
-- when Twilio asks what to do with an inbound call): the greeting, spoken
-- (text-to-speech) or an audio file played; forwarding to the number's
-- default owner's own phone for so many seconds; then voicemail with its
-- own greeting and a longest message. With business hours on, a call
-- outside them (in the number's time zone, on its days, between opening
-- and closing; closing before opening means open past midnight) goes
-- straight to voicemail with the after-hours greeting.
--
-- Owners and admins change them in Settings → Numbers, under phones'
-- policies; every member may read them.
alter table public.phones
  add column voice_greeting text not null default 'Thank you for calling. Please hold while we connect you.'
    check (length(voice_greeting) between 1 and 500),
  add column voice_greeting_url text check (voice_greeting_url ~ '^https?://[^\s]+$' and length(voice_greeting_url) <= 2000),
  add column voice_forward_timeout_seconds integer not null default 20 check (voice_forward_timeout_seconds between 5 and 60),
  add column voicemail_greeting text not null default 'Nobody can take your call right now. Please leave a message after the tone.'
    check (length(voicemail_greeting) between 1 and 500),
  add column voicemail_max_seconds integer not null default 120 check (voicemail_max_seconds between 10 and 600),
  add column after_hours_greeting text not null default 'We are closed right now. Please leave a message after the tone.'
    check (length(after_hours_greeting) between 1 and 500),
  add column business_hours_enabled boolean not null default false,
  add column business_time_zone text not null default 'America/Chicago' check (private.is_time_zone(business_time_zone)),
  -- ISO days of the week, Monday 1 to Sunday 7.
  add column business_days smallint[] not null default '{1,2,3,4,5}'
    check (cardinality(business_days) between 1 and 7 and business_days <@ '{1,2,3,4,5,6,7}'::smallint[]),
  add column business_opens time not null default '09:00',
  add column business_closes time not null default '17:00',
  add constraint phones_business_hours_check check (business_opens <> business_closes);

grant update (voice_greeting, voice_greeting_url, voice_forward_timeout_seconds, voicemail_greeting, voicemail_max_seconds,
              after_hours_greeting, business_hours_enabled, business_time_zone, business_days, business_opens, business_closes)
  on public.phones to authenticated;

-- Whether the number is open at `at` (always, with business hours off).
create function private.phone_open_at(p public.phones, at timestamptz) returns boolean
language sql stable set search_path = '' as $$
  select not p.business_hours_enabled or (
    extract(isodow from local)::smallint = any (p.business_days)
    and case when p.business_opens < p.business_closes
             then local::time >= p.business_opens and local::time < p.business_closes
             else local::time >= p.business_opens or local::time < p.business_closes end)
  from (select at at time zone p.business_time_zone as local) l
$$;
grant execute on function private.phone_open_at(public.phones, timestamptz) to service_role;
