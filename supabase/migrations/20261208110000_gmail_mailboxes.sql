-- Gmail mailboxes: each member may connect their own Gmail (one mailbox per
-- member). The refresh token is an org secret (public.org_secrets, purpose
-- `gmail.refresh_token:<user id>`), sealed by the app, never readable by
-- `authenticated`. The row says how the mailbox syncs, honestly: its state,
-- the history id incremental sync continues from, the initial import's
-- cursor (so an interrupted import resumes), how many messages came in, the
-- last sync and the last error. Members see their own mailbox; owners and
-- admins see everyone's state (never the token). Writes go through
-- public.connect_gmail_mailbox / public.disconnect_gmail_mailbox (the member
-- themselves) and the sync jobs (service_role).
create table public.gmail_mailboxes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 320),
  token_secret_id uuid,
  -- connected: syncing; revoked: Google refused the token (the member connects again); disconnected: the member disconnected it.
  status text not null default 'connected' check (status in ('connected', 'revoked', 'disconnected')),
  -- pending: the initial import has not started; importing: it runs (import_cursor resumes it); synced: incremental; error: the last sync failed.
  sync_state text not null default 'pending' check (sync_state in ('pending', 'importing', 'synced', 'error')),
  history_id text check (history_id ~ '^[0-9]{1,20}$'),
  import_cursor text check (length(import_cursor) <= 200),
  messages_imported int not null default 0 check (messages_imported >= 0),
  last_synced_at timestamptz,
  last_error text check (length(last_error) <= 1000),
  last_error_at timestamptz,
  watch_expires_at timestamptz,
  connected_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id),
  unique (id, org_id),
  foreign key (token_secret_id, org_id) references public.org_secrets (id, org_id) on delete set null (token_secret_id)
);
-- A Gmail address is connected to one Covey account: pushes name the address, and must find one mailbox.
create unique index gmail_mailboxes_email_idx on public.gmail_mailboxes (lower(email)) where status <> 'disconnected';
create index gmail_mailboxes_org_idx on public.gmail_mailboxes (org_id);
alter table public.gmail_mailboxes enable row level security;

grant select on public.gmail_mailboxes to authenticated;
grant select, insert, update, delete on public.gmail_mailboxes to service_role;
create policy gmail_mailboxes_select on public.gmail_mailboxes for select to authenticated
  using (public.is_member_of(org_id) and (user_id = auth.uid() or public.has_org_role(org_id, '{owner,admin}')));

create trigger gmail_mailboxes_touch before update on public.gmail_mailboxes
  for each row execute function private.touch_updated_at();

-- The calling member connects (or reconnects) their own Gmail: the sealed
-- refresh token replaces any earlier one, the mailbox starts a fresh
-- initial import, and an earlier alert about it is resolved.
create function public.connect_gmail_mailbox(email text, sealed text, hint text default '')
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
  return mailbox_id;
end
$$;
revoke all on function public.connect_gmail_mailbox(text, text, text) from public;
grant execute on function public.connect_gmail_mailbox(text, text, text) to authenticated;

-- The calling member disconnects their Gmail: the token is deleted (the app
-- has revoked it at Google first), the mailbox kept as disconnected so its
-- emails keep their sender.
create function public.disconnect_gmail_mailbox()
returns uuid
language plpgsql volatile security definer set search_path = '' as $$
declare
  uid uuid := auth.uid();
  mailbox_id uuid;
begin
  update public.gmail_mailboxes m set status = 'disconnected', sync_state = 'pending', import_cursor = null, watch_expires_at = null
   where m.user_id = uid and m.org_id = private.current_org_id()
  returning m.id into mailbox_id;
  delete from public.org_secrets s
   where s.org_id = private.current_org_id() and s.purpose = 'gmail.refresh_token:' || uid::text;
  return mailbox_id;
end
$$;
revoke all on function public.disconnect_gmail_mailbox() from public;
grant execute on function public.disconnect_gmail_mailbox() to authenticated;
