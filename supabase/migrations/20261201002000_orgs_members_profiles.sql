-- Organizations, their members and profiles, with their policies.

create table public.profiles (
  user_id uuid primary key references auth.users (id) on delete cascade,
  org_id uuid not null references public.orgs (id) on delete cascade,
  full_name text not null default '' check (length(full_name) <= 120),
  email citext not null,
  avatar_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index profiles_org_id_idx on public.profiles (org_id);
alter table public.profiles enable row level security;

create trigger profiles_touch before update on public.profiles
  for each row execute function private.touch_updated_at();

-- orgs ---------------------------------------------------------------------
grant select on public.orgs to authenticated;
grant update (name, allowed_email_domains, default_currency) on public.orgs to authenticated;

create policy orgs_select on public.orgs for select to authenticated
  using (public.is_member_of(id));
create policy orgs_update on public.orgs for update to authenticated
  using (public.has_org_role(id, '{owner,admin}'))
  with check (public.has_org_role(id, '{owner,admin}'));

-- Domains are compared lower-case and without a leading @.
create function private.normalize_org() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.allowed_email_domains := array(
    select distinct lower(ltrim(btrim(d), '@'))
    from unnest(new.allowed_email_domains) d
    where btrim(d) <> ''
    order by 1
  );
  return new;
end
$$;
create trigger orgs_normalize before insert or update on public.orgs
  for each row execute function private.normalize_org();

-- org_members --------------------------------------------------------------
grant select on public.org_members to authenticated;
grant update (role) on public.org_members to authenticated;
grant delete on public.org_members to authenticated;

create policy org_members_select on public.org_members for select to authenticated
  using (public.is_member_of(org_id));
create policy org_members_update on public.org_members for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy org_members_delete on public.org_members for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- Owner rules hold whichever path changes a membership: only an owner grants
-- or takes away ownership, and an org always keeps at least one owner.
create function private.guard_org_members() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  actor_role public.org_role := private.current_org_role();
  remaining int;
begin
  if tg_op = 'UPDATE' and new.role is not distinct from old.role then
    return new;
  end if;
  -- Trusted server work (no end-user session) is not subject to the actor rule.
  if auth.uid() is not null
     and (old.role = 'owner' or (tg_op = 'UPDATE' and new.role = 'owner'))
     and actor_role is distinct from 'owner' then
    raise exception 'Only an owner can change an owner''s role or grant ownership'
      using errcode = '42501';
  end if;
  if old.role = 'owner' then
    select count(*) into remaining from public.org_members
      where org_id = old.org_id and role = 'owner' and id <> old.id;
    -- When the org itself is being deleted, the cascade may remove everyone.
    if remaining = 0 and exists (select 1 from public.orgs where id = old.org_id) then
      raise exception 'An organization must keep at least one owner'
        using errcode = '23514';
    end if;
  end if;
  return case tg_op when 'DELETE' then old else new end;
end
$$;
create trigger org_members_guard before update or delete on public.org_members
  for each row execute function private.guard_org_members();

-- profiles -----------------------------------------------------------------
grant select on public.profiles to authenticated;
grant update (full_name, avatar_url) on public.profiles to authenticated;

create policy profiles_select on public.profiles for select to authenticated
  using (public.is_member_of(org_id));
create policy profiles_update on public.profiles for update to authenticated
  using (public.is_member_of(org_id) and user_id = auth.uid())
  with check (public.is_member_of(org_id) and user_id = auth.uid());
