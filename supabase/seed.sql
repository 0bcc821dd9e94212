-- Demo data for the embedded runtime (run once, by `npm start`).
-- Every demo account's password is covey-demo-1234.

do $$
declare
  pw text := crypt('covey-demo-1234', gen_salt('bf', 10));
  demo_org uuid;
  owner_id uuid;
  teammate record;
begin
  -- The owner signs up: the sign-up trigger creates "Covey Demo".
  insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, aud, role)
  values ('demo@covey.local', pw, now(),
          '{"full_name": "Dana Demo", "org_name": "Covey Demo"}',
          '{"provider": "email", "providers": ["email"]}', 'authenticated', 'authenticated')
  returning id into owner_id;
  select org_id into demo_org from public.org_members where user_id = owner_id;

  -- Teammates join the way everyone does: by invitation.
  for teammate in
    select * from (values
      ('alex.admin@covey.local', 'Alex Admin', 'admin'),
      ('morgan.manager@covey.local', 'Morgan Manager', 'manager'),
      ('sam.member@covey.local', 'Sam Member', 'member')
    ) as t(email, full_name, role)
  loop
    insert into public.org_invites (org_id, email, role, token_hash, invited_by)
    values (demo_org, teammate.email, teammate.role::public.org_role,
            encode(sha256(convert_to('seed-' || teammate.email, 'UTF8')), 'hex'), owner_id);
    insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, aud, role)
    values (teammate.email, pw, now(),
            jsonb_build_object('full_name', teammate.full_name, 'invite_token', 'seed-' || teammate.email),
            '{"provider": "email", "providers": ["email"]}', 'authenticated', 'authenticated');
  end loop;

  -- A second organization, to see that tenants never meet.
  insert into auth.users (email, encrypted_password, email_confirmed_at, raw_user_meta_data, raw_app_meta_data, aud, role)
  values ('owner@northwind.local', pw, now(),
          '{"full_name": "Nora Northwind", "org_name": "Northwind Partners"}',
          '{"provider": "email", "providers": ["email"]}', 'authenticated', 'authenticated');
end
$$;
