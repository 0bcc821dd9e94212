-- The system's own mail (invitations, partner offers, sign-in links, resets)
-- is logged in `emails` with the org it belongs to: the caller's, else the
-- org of the member it is addressed to. Only who, when, the subject and the
-- kind are kept, never the body: a sign-in or reset link in a log every
-- member can read would let one member sign in as another. Mail to someone
-- with no org yet (a sign-up confirmation) has no org to be logged under.
create function private.log_system_email(org uuid, recipient text, sender text, subject text, tag text, provider text)
returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  target uuid := log_system_email.org;
  logged uuid;
begin
  if target is null then
    select m.org_id into target from public.org_members m join auth.users u on u.id = m.user_id
     where lower(u.email) = lower(log_system_email.recipient) limit 1;
  end if;
  if target is null then
    return null;
  end if;
  insert into public.emails (org_id, direction, provider, from_address, to_addresses, subject, status, tag, sent_at)
  values (target, 'outbound', log_system_email.provider, left(log_system_email.sender, 320), array[left(lower(log_system_email.recipient), 320)],
          left(coalesce(log_system_email.subject, ''), 1000), 'sent', log_system_email.tag, now())
  returning id into logged;
  return logged;
end
$$;
revoke all on function private.log_system_email(uuid, text, text, text, text, text) from public;
grant execute on function private.log_system_email(uuid, text, text, text, text, text) to service_role;
