-- In-app notifications: what happened that a member should look at (a lead
-- assigned to them, an integration failing), each once, with a link to it.
-- Other modules never insert rows themselves: their triggers and jobs call
-- private.notify_user(), which applies the member's settings and the dedupe.
-- Not audited: a notification is a consequence of an audited write, and
-- marking it read changes nothing anyone needs to trace.

-- Every type the database may write (modules/notifications/types.ts gives
-- each its label, and its tests check the two lists agree). A new type is
-- added here first.
create function private.notification_types() returns text[]
language sql immutable parallel safe
return array['lead_assigned', 'partner_responded', 'integration_alert']::text[];
-- The type checks below run as whoever writes the row.
grant execute on function private.notification_types() to authenticated, service_role;

create table public.notifications (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  user_id uuid not null,
  type text not null constraint notifications_type_listed check (type = any (private.notification_types())),
  title text not null check (length(btrim(title)) between 1 and 200),
  body text check (length(body) <= 2000),
  -- A path inside the app (a record's page, a settings page): never another
  -- site, so a notification cannot send anyone off to a look-alike.
  link text check (link ~ '^/([^/\\]|$)' and length(link) <= 500),
  -- Names the event, so the same event never notifies the same member twice.
  dedupe_key text not null check (length(dedupe_key) between 1 and 300),
  read_at timestamptz,
  created_at timestamptz not null default now(),
  constraint notifications_user_dedupe_key unique (user_id, dedupe_key),
  -- A notification leaves with its member.
  foreign key (user_id, org_id) references public.org_members (user_id, org_id) on delete cascade
);
create index notifications_user_recent_idx on public.notifications (user_id, id desc);
create index notifications_user_unread_idx on public.notifications (user_id) where read_at is null;
create index notifications_org_idx on public.notifications (org_id);
alter table public.notifications enable row level security;

-- A member reads and marks only their own, even within their org.
grant select on public.notifications to authenticated;
grant update (read_at) on public.notifications to authenticated;
grant all on public.notifications to service_role;
create policy notifications_select on public.notifications for select to authenticated
  using (user_id = (select auth.uid()) and public.is_member_of(org_id));
create policy notifications_update on public.notifications for update to authenticated
  using (user_id = (select auth.uid()) and public.is_member_of(org_id))
  with check (user_id = (select auth.uid()) and public.is_member_of(org_id));

-- Per member per type; no row means on.
create table public.notification_settings (
  org_id uuid not null references public.orgs (id) on delete cascade,
  user_id uuid not null,
  type text not null constraint notification_settings_type_listed check (type = any (private.notification_types())),
  in_app boolean not null default true,
  updated_at timestamptz not null default now(),
  primary key (user_id, type),
  foreign key (user_id, org_id) references public.org_members (user_id, org_id) on delete cascade
);
create index notification_settings_org_idx on public.notification_settings (org_id);
alter table public.notification_settings enable row level security;

grant select, delete on public.notification_settings to authenticated;
grant insert (org_id, user_id, type, in_app) on public.notification_settings to authenticated;
grant update (in_app) on public.notification_settings to authenticated;
grant all on public.notification_settings to service_role;
create policy notification_settings_select on public.notification_settings for select to authenticated
  using (user_id = (select auth.uid()) and public.is_member_of(org_id));
create policy notification_settings_insert on public.notification_settings for insert to authenticated
  with check (user_id = (select auth.uid()) and public.is_member_of(org_id));
create policy notification_settings_update on public.notification_settings for update to authenticated
  using (user_id = (select auth.uid()) and public.is_member_of(org_id))
  with check (user_id = (select auth.uid()) and public.is_member_of(org_id));
create policy notification_settings_delete on public.notification_settings for delete to authenticated
  using (user_id = (select auth.uid()) and public.is_member_of(org_id));

create trigger notification_settings_touch before update on public.notification_settings
  for each row execute function private.touch_updated_at();

-- The one way to notify a member, for triggers and jobs. Returns the new
-- notification's id, or null when there is none to make: the member turned
-- the type off, the same dedupe key already notified them, or they are not
-- (or no longer) a member of that org. An unknown type is a bug and raises.
-- Not granted to authenticated: a member could otherwise write any text to
-- any colleague's bell.
create function private.notify_user(
  org_id uuid, user_id uuid, type text, title text, body text, link text, dedupe_key text
) returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  created bigint;
begin
  if not (notify_user.type = any (private.notification_types())) then
    raise exception 'Unknown notification type: %', notify_user.type using errcode = '22023';
  end if;
  if not exists (select 1 from public.org_members m
                 where m.user_id = notify_user.user_id and m.org_id = notify_user.org_id) then
    return null;
  end if;
  if exists (select 1 from public.notification_settings s
             where s.user_id = notify_user.user_id and s.type = notify_user.type and not s.in_app) then
    return null;
  end if;
  insert into public.notifications as n (org_id, user_id, type, title, body, link, dedupe_key)
  values (notify_user.org_id, notify_user.user_id, notify_user.type, left(btrim(notify_user.title), 200),
          left(notify_user.body, 2000), notify_user.link, notify_user.dedupe_key)
  on conflict on constraint notifications_user_dedupe_key do nothing
  returning n.id into created;
  return created;
end
$$;
revoke all on function private.notify_user(uuid, uuid, text, text, text, text, text) from public;
grant execute on function private.notify_user(uuid, uuid, text, text, text, text, text) to service_role;
