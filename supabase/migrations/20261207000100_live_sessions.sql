-- Signing out deletes the session row (auth.sessions), but its access token
-- still verifies until it expires, up to an hour later, and a token read by
-- a page script can be replayed from anywhere. The app's transactions for a
-- user's token call this first, in the statement that sets the claims, so a
-- token whose session has ended can no longer read or change anything. One
-- primary-key lookup; the same on Supabase, where Auth keeps the same table.
create function private.require_live_session(session uuid) returns void
language plpgsql stable security definer set search_path = '' as $$
begin
  if not exists (select from auth.sessions s where s.id = session) then
    raise exception 'This session has ended; sign in again' using errcode = '28000', hint = 'session_ended';
  end if;
end
$$;
revoke all on function private.require_live_session(uuid) from public;
grant execute on function private.require_live_session(uuid) to authenticated;
