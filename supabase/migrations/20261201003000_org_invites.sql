-- Invitations: the only way into an existing organization.

create table public.org_invites (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  email citext not null check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  role public.org_role not null default 'member',
  -- sha256 of the single-use token; the token itself is only ever in the email.
  token_hash text not null unique,
  invited_by uuid references auth.users (id) on delete set null,
  expires_at timestamptz not null default now() + interval '7 days',
  sent_count int not null default 1,
  last_sent_at timestamptz not null default now(),
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (role <> 'owner' or invited_by is not null)
);
-- One open invitation per org and address; resending refreshes it.
create unique index org_invites_pending_key on public.org_invites (org_id, email)
  where accepted_at is null and revoked_at is null;
create index org_invites_org_id_idx on public.org_invites (org_id, created_at desc);
alter table public.org_invites enable row level security;

create trigger org_invites_touch before update on public.org_invites
  for each row execute function private.touch_updated_at();

grant select (id, org_id, email, role, invited_by, expires_at, sent_count, last_sent_at,
              accepted_at, accepted_by, revoked_at, created_at, updated_at)
  on public.org_invites to authenticated;
grant insert (org_id, email, role, token_hash, invited_by, expires_at) on public.org_invites to authenticated;
grant update (token_hash, expires_at, sent_count, last_sent_at, revoked_at, role) on public.org_invites to authenticated;

create policy org_invites_select on public.org_invites for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));
create policy org_invites_insert on public.org_invites for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}') and invited_by = auth.uid());
create policy org_invites_update on public.org_invites for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}') and accepted_at is null)
  with check (public.has_org_role(org_id, '{owner,admin}'));

-- Only an owner may invite another owner; the domain allow-list applies.
create function private.guard_org_invites() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  domains text[];
begin
  if new.role = 'owner' and private.current_org_role() is distinct from 'owner' then
    raise exception 'Only an owner can invite another owner' using errcode = '42501';
  end if;
  select allowed_email_domains into domains from public.orgs where id = new.org_id;
  if cardinality(domains) > 0 and lower(split_part(new.email::text, '@', 2)) <> all (domains) then
    raise exception 'Email domain % is not allowed in this organization', split_part(new.email::text, '@', 2)
      using errcode = '23514', hint = 'domain_not_allowed';
  end if;
  return new;
end
$$;
create trigger org_invites_guard before insert or update of role, email on public.org_invites
  for each row execute function private.guard_org_invites();

-- Whether an address already has an account (in any org). Accounts belong to
-- one org, so an invite to such an address could never be accepted; the
-- inviter learns that rather than sending a dead link.
create function public.email_has_account(address text) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from auth.users u where lower(u.email) = lower(btrim(address)))
$$;
revoke all on function public.email_has_account(text) from public, anon;
grant execute on function public.email_has_account(text) to authenticated, service_role;

-- What an invitee may learn from a token before signing up: the org's name,
-- the address and role, and whether the invitation can still be used.
create function public.invite_preview(token text)
returns table (org_name text, email text, role public.org_role, status text, domain_allowed boolean)
language sql stable security definer set search_path = '' as $$
  select o.name, i.email::text, i.role,
         case
           when i.revoked_at is not null then 'revoked'
           when i.accepted_at is not null then 'used'
           when i.expires_at <= now() then 'expired'
           else 'pending'
         end,
         cardinality(o.allowed_email_domains) = 0
           or lower(split_part(i.email::text, '@', 2)) = any (o.allowed_email_domains)
  from public.org_invites i
  join public.orgs o on o.id = i.org_id
  where i.token_hash = encode(sha256(convert_to(token, 'UTF8')), 'hex')
$$;
revoke all on function public.invite_preview(text) from public, anon, authenticated;
grant execute on function public.invite_preview(text) to service_role;
