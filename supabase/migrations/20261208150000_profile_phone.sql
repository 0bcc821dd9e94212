-- A member's own phone, in E.164: click-to-call rings it first and then
-- bridges to the contact, and an inbound call to a number is forwarded to
-- its default owner's. Readable by the org's members like the rest of the
-- profile; each member sets only their own (profiles_update).
alter table public.profiles
  add column phone text check (phone ~ '^\+[1-9][0-9]{6,14}$');

grant update (phone) on public.profiles to authenticated;
