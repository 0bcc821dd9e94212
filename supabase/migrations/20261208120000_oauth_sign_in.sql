-- Sign in with Google (and any OAuth provider): Supabase Auth creates the
-- user at its /callback, before the app can say whether the person meant to
-- found an org, accept an invitation or just sign in, and the provider's
-- claims carry no invitation token. So an OAuth user is created without an
-- org, and the app's callback route finishes it with
-- public.finish_oauth_sign_in in its first request: it joins by invitation or
-- founds an org under the same rules as email sign-up, or the account is
-- removed again, so nobody is ever left holding an account without an org.

-- What sign-up does for a new account, by its metadata: join the org of an
-- invitation token, else found an org (refused while sign-up is invite-only).
create function private.admit_user(new_user uuid, address text, meta jsonb) returns void
language plpgsql security definer set search_path = '' as $$
declare
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
    elsif lower(inv.email::text) <> lower(address) then
      raise exception 'This invitation was sent to another address' using errcode = 'P0001', hint = 'invite_email_mismatch';
    end if;
    select allowed_email_domains into domains from public.orgs where id = inv.org_id;
    if cardinality(domains) > 0 and lower(split_part(address, '@', 2)) <> all (domains) then
      raise exception 'Email domain % is not allowed in this organization', split_part(address, '@', 2)
        using errcode = 'P0001', hint = 'domain_not_allowed';
    end if;
    insert into public.org_members (org_id, user_id, role) values (inv.org_id, new_user, inv.role);
    insert into public.profiles (user_id, org_id, full_name, email) values (new_user, inv.org_id, full_name, address);
    update public.org_invites set accepted_at = now(), accepted_by = new_user where id = inv.id;
  else
    if private.setting('signup_mode') = 'invite_only' then
      raise exception 'Sign-up is by invitation only' using errcode = 'P0001', hint = 'signup_disabled';
    end if;
    insert into public.orgs (name, template)
      values (
        coalesce(nullif(left(btrim(meta ->> 'org_name'), 120), ''), split_part(address, '@', 2)),
        coalesce(nullif(meta ->> 'org_template', ''), 'sales')
      )
      returning id into new_org;
    insert into public.org_members (org_id, user_id, role) values (new_org, new_user, 'owner');
    insert into public.profiles (user_id, org_id, full_name, email) values (new_user, new_org, full_name, address);
  end if;
end
$$;
revoke all on function private.admit_user(uuid, text, jsonb) from public;

create or replace function private.handle_new_user() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Supabase Auth writes app_metadata.provider with the insert; OAuth users are finished by the app.
  if coalesce(new.raw_app_meta_data ->> 'provider', 'email') <> 'email' then
    return new;
  end if;
  perform private.admit_user(new.id, new.email, coalesce(new.raw_user_meta_data, '{}'));
  return new;
end
$$;

-- The signed-in OAuth user's first step in the app. Answers 'member' when
-- they already belong to an org (a returning user, or a password account the
-- provider's verified address was linked to), 'joined' or 'founded' when
-- admitted now; otherwise the account is deleted and the answer says why:
-- 'no_account' (signing in without an account), 'email_unverified', or the
-- refusal's code (invite_invalid, invite_used, invite_expired,
-- invite_email_mismatch, domain_not_allowed, signup_disabled).
create function public.finish_oauth_sign_in(invite_token text default null, org_name text default null)
returns text
language plpgsql security definer set search_path = '' as $$
declare
  uid uuid := auth.uid();
  u auth.users;
  outcome text;
begin
  select * into u from auth.users where id = uid for update;
  if not found then
    raise exception 'Not signed in' using errcode = '42501';
  end if;
  if exists (select 1 from public.org_members where user_id = uid) then
    return 'member';
  end if;
  if u.email_confirmed_at is null then
    outcome := 'email_unverified';
  elsif nullif(btrim(invite_token), '') is null and nullif(btrim(org_name), '') is null then
    outcome := 'no_account';
  else
    begin
      perform private.admit_user(uid, u.email, jsonb_build_object(
        'invite_token', nullif(btrim(invite_token), ''),
        'org_name', org_name,
        'full_name', coalesce(u.raw_user_meta_data ->> 'full_name', u.raw_user_meta_data ->> 'name')));
      return case when nullif(btrim(invite_token), '') is null then 'founded' else 'joined' end;
    exception when sqlstate 'P0001' then
      get stacked diagnostics outcome = pg_exception_hint;
    end;
  end if;
  delete from auth.users where id = uid;
  return outcome;
end
$$;
revoke all on function public.finish_oauth_sign_in(text, text) from public, anon;
grant execute on function public.finish_oauth_sign_in(text, text) to authenticated;
