-- What becomes of a mailbox after each call to Gmail, in one place for the
-- app (sends) and the sync jobs (service_role only).
--
-- A failure is recorded on the mailbox (sync state `error`, the message) and
-- in the Gmail card's health. When Google refused the token (the member
-- revoked Covey's access, or the grant expired), the mailbox is marked
-- `revoked` and stops syncing, and an alert `gmail:mailbox:<id>` tells the
-- org's owners and admins, and the mailbox's owner is told in their bell: the
-- mailbox never looks "synced" while it is not. Connecting again resolves it.
create function private.gmail_mailbox_failed(mailbox uuid, revoked boolean, error text) returns void
language plpgsql security definer set search_path = '' as $$
declare
  m public.gmail_mailboxes;
begin
  update public.gmail_mailboxes g
     set status = case when gmail_mailbox_failed.revoked and g.status = 'connected' then 'revoked' else g.status end,
         sync_state = 'error', last_error = left(gmail_mailbox_failed.error, 1000), last_error_at = now()
   where g.id = gmail_mailbox_failed.mailbox
  returning g.* into m;
  if m.id is null then
    return;
  end if;
  perform private.record_integration_result(m.org_id, 'gmail', m.email, false, gmail_mailbox_failed.error);
  if gmail_mailbox_failed.revoked then
    perform private.raise_alert(m.org_id, 'gmail', m.email, 'gmail:mailbox:' || m.id::text, 'critical',
      'Gmail access revoked for ' || m.email,
      'Google no longer accepts Covey''s access to ' || m.email || ' (' || left(gmail_mailbox_failed.error, 200) ||
      '). Its email is not synced and cannot be sent until its owner connects it again in Settings → Integrations → Gmail.');
    perform private.notify_user(m.org_id, m.user_id, 'integration_alert', 'Connect your Gmail again',
      'Google no longer accepts Covey''s access to ' || m.email || '. Connect it again to keep sending and syncing.',
      '/settings/integrations/gmail', 'gmail_revoked:' || m.id::text || ':' || extract(epoch from m.last_error_at)::bigint::text);
  end if;
end
$$;
revoke all on function private.gmail_mailbox_failed(uuid, boolean, text) from public;
grant execute on function private.gmail_mailbox_failed(uuid, boolean, text) to service_role;

-- A call that worked: recorded in the card's health. (A revoked mailbox's
-- alert is resolved by connecting again, which is the only way it works again.)
create function private.gmail_mailbox_ok(mailbox uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  m public.gmail_mailboxes;
begin
  select * into m from public.gmail_mailboxes g where g.id = gmail_mailbox_ok.mailbox;
  if m.id is null then
    return;
  end if;
  perform private.record_integration_result(m.org_id, 'gmail', m.email, true, null);
end
$$;
revoke all on function private.gmail_mailbox_ok(uuid) from public;
grant execute on function private.gmail_mailbox_ok(uuid) to service_role;
