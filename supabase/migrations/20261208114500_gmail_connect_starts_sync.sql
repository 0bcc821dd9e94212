-- Connecting a mailbox queues its first sync in the connecting transaction,
-- so the import starts the moment the member is back from Google.
create or replace function public.connect_gmail_mailbox(email text, sealed text, hint text default '')
returns uuid
language plpgsql volatile security definer set search_path = '' as $$
#variable_conflict use_column
declare
  org uuid := private.current_org_id();
  uid uuid := auth.uid();
  secret_id uuid;
  mailbox_id uuid;
  purpose text := 'gmail.refresh_token:' || uid::text;
begin
  if org is null or uid is null then
    raise exception 'Only a signed-in member can connect their Gmail' using errcode = '42501';
  end if;
  insert into public.org_secrets as s (org_id, purpose, secret, key_id, hint, created_by)
  values (org, purpose, sealed, split_part(sealed, '.', 2), coalesce(connect_gmail_mailbox.hint, ''), uid)
  on conflict (org_id, purpose) do update
    set secret = excluded.secret, key_id = excluded.key_id, hint = excluded.hint, created_by = excluded.created_by
  returning s.id into secret_id;
  insert into public.gmail_mailboxes as m (org_id, user_id, email, token_secret_id)
  values (org, uid, lower(connect_gmail_mailbox.email), secret_id)
  on conflict (user_id) do update
    set email = excluded.email, token_secret_id = excluded.token_secret_id, status = 'connected',
        sync_state = case when m.email = excluded.email and m.history_id is not null then m.sync_state else 'pending' end,
        history_id = case when m.email = excluded.email then m.history_id end,
        import_cursor = null, last_error = null, last_error_at = null, connected_at = now()
  returning m.id into mailbox_id;
  perform private.resolve_alert(org, 'gmail:mailbox:' || mailbox_id::text);
  -- The initial import (or, reconnecting the same address, a catch-up from its history id) starts at once.
  perform private.enqueue_job('gmail.sync', jsonb_build_object('mailbox_id', mailbox_id), org,
                              'gmail-sync:' || mailbox_id::text || ':connect:' || (extract(epoch from clock_timestamp()) * 1000)::bigint::text);
  return mailbox_id;
end
$$;
