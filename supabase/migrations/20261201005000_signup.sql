-- Sign-up: a new auth user either founds an org (as its owner) or, carrying
-- an invitation token, joins the inviting org. Both happen in the same
-- transaction as the auth.users insert, so a failure leaves no account, no
-- org without owner and no member without profile.

-- Deployment-wide settings (not tenant data: no org_id, no API access).
create table private.settings (
  key text primary key,
  value text not null
);
alter table private.settings enable row level security;
insert into private.settings (key, value) values ('signup_mode', 'open');

create function private.setting(name text) returns text
language sql stable security definer set search_path = '' as $$
  select value from private.settings where key = name
$$;

create function private.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}');
  token text := nullif(meta ->> 'invite_token', '');
  full_name text := left(btrim(coalesce(meta ->> 'full_name', '')), 120);
  inv public.org_invites;
  domains text[];
  new_org uuid;
begin
  if token is not null then
    select * into inv from public.org_invites
      where token_hash = encode(sha256(convert_to(token, 'UTF8')), 'hex')
      for update;
    if not found or inv.revoked_at is not null then
      raise exception 'This invitation is not valid' using errcode = 'P0001', hint = 'invite_invalid';
    elsif inv.accepted_at is not null then
      raise exception 'This invitation has already been used' using errcode = 'P0001', hint = 'invite_used';
    elsif inv.expires_at <= now() then
      raise exception 'This invitation has expired' using errcode = 'P0001', hint = 'invite_expired';
    elsif lower(inv.email::text) <> lower(new.email) then
      raise exception 'This invitation was sent to another address' using errcode = 'P0001', hint = 'invite_email_mismatch';
    end if;
    select allowed_email_domains into domains from public.orgs where id = inv.org_id;
    if cardinality(domains) > 0 and lower(split_part(new.email, '@', 2)) <> all (domains) then
      raise exception 'Email domain % is not allowed in this organization', split_part(new.email, '@', 2)
        using errcode = 'P0001', hint = 'domain_not_allowed';
    end if;
    insert into public.org_members (org_id, user_id, role) values (inv.org_id, new.id, inv.role);
    insert into public.profiles (user_id, org_id, full_name, email) values (new.id, inv.org_id, full_name, new.email);
    update public.org_invites set accepted_at = now(), accepted_by = new.id where id = inv.id;
  else
    if private.setting('signup_mode') = 'invite_only' then
      raise exception 'Sign-up is by invitation only' using errcode = 'P0001', hint = 'signup_disabled';
    end if;
    insert into public.orgs (name, template)
      values (
        coalesce(nullif(left(btrim(meta ->> 'org_name'), 120), ''), split_part(new.email, '@', 2)),
        coalesce(nullif(meta ->> 'org_template', ''), 'sales')
      )
      returning id into new_org;
    insert into public.org_members (org_id, user_id, role) values (new_org, new.id, 'owner');
    insert into public.profiles (user_id, org_id, full_name, email) values (new.id, new_org, full_name, new.email);
  end if;
  return new;
end
$$;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();

-- Removing someone from an org removes their account: an account belongs to
-- exactly one org, so a member without an org could do nothing at all.
create function public.remove_member(member_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  m public.org_members;
begin
  select * into m from public.org_members where id = member_id;
  if not found or not public.has_org_role(m.org_id, '{owner,admin}') then
    raise exception 'Member not found' using errcode = 'P0002';
  end if;
  if m.user_id = auth.uid() then
    raise exception 'You cannot remove yourself' using errcode = '42501';
  end if;
  if m.role = 'owner' and private.current_org_role() <> 'owner' then
    raise exception 'Only an owner can remove an owner' using errcode = '42501';
  end if;
  delete from public.org_members where id = m.id;
  delete from auth.users where id = m.user_id;
end
$$;
revoke all on function public.remove_member(uuid) from public;
grant execute on function public.remove_member(uuid) to authenticated;

revoke all on function private.setting(text) from public;
grant execute on function private.setting(text) to service_role;
