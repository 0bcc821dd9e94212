-- A caller who withholds their number (Twilio's From is "Anonymous",
-- "Restricted", "Unavailable" or similar) still reaches the org: the call,
-- and any voicemail they leave, is written with no contact number instead of
-- being refused. Only an inbound call may lack one; an outbound call always
-- has the number it dialled.
alter table public.calls drop constraint calls_check1;
alter table public.calls add constraint calls_twilio_numbers_check
  check (source = 'manual' or (org_number is not null and (contact_number is not null or direction = 'inbound')));
