-- Founding an org with Google picks its template as email sign-up does: the
-- sign-up page's choice travels in the app's intent cookie to this function,
-- which hands it to private.admit_user like the rest of sign-up's metadata.
-- An unknown template is refused there (template_invalid) and the account is
-- removed again, like every other refusal.
drop function public.finish_oauth_sign_in(text, text);

create function public.finish_oauth_sign_in(invite_token text default null, org_name text default null,
                                            org_template text default null)
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
        'org_template', org_template,
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
revoke all on function public.finish_oauth_sign_in(text, text, text) from public, anon;
grant execute on function public.finish_oauth_sign_in(text, text, text) to authenticated;
