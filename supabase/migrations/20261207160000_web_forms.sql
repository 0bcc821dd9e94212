-- Web forms: public capture endpoints (`/f/{key}`) that turn a visitor's
-- submission into a lead, and the log of every submission, spam and refusals
-- included, so nothing a form receives vanishes without a trace.
-- Admins manage forms; every member may read them and their submissions.
-- Submissions are written only by the public endpoint, as service_role.

-- A field list: [{ name, label, type, required, maps_to, options? }], names
-- unique, `maps_to` a lead field or `custom.<key>` (or null: kept in the
-- submission only). modules/forms/schema.ts says the same in zod, with
-- messages per field; this is the floor every path meets.
create function private.valid_web_form_fields(fields jsonb) returns boolean
language sql immutable set search_path = '' as $$
  select jsonb_typeof(fields) = 'array'
    and jsonb_array_length(fields) between 1 and 50
    and (select count(distinct f ->> 'name') = count(*) from jsonb_array_elements(fields) f)
    and coalesce((
      select bool_and(
        jsonb_typeof(f) = 'object'
        and coalesce((f ->> 'name') ~ '^[a-z][a-z0-9_]{0,39}$', false)
        and coalesce(length(f ->> 'label') between 1 and 200, false)
        and coalesce(f ->> 'type' in ('text', 'email', 'tel', 'textarea', 'select'), false)
        and coalesce(jsonb_typeof(f -> 'required') = 'boolean', false)
        and (f -> 'maps_to' is null or jsonb_typeof(f -> 'maps_to') = 'null'
             or coalesce((f ->> 'maps_to') in ('first_name', 'last_name', 'email', 'phone', 'company_name', 'state', 'message'), false)
             or coalesce((f ->> 'maps_to') ~ '^custom\.[a-z][a-z0-9_]{0,62}$', false))
        and (f ->> 'type' <> 'select'
             or (jsonb_typeof(f -> 'options') = 'array' and jsonb_array_length(f -> 'options') between 1 and 100)))
      from jsonb_array_elements(fields) f), false)
$$;
grant execute on function private.valid_web_form_fields(jsonb) to authenticated, service_role;

-- Origins as a browser sends them in `Origin`: scheme, host, optional port.
create function private.valid_web_origins(origins text[]) returns boolean
language sql immutable set search_path = '' as $$
  select coalesce(bool_and(o ~ '^https?://[a-z0-9.-]+(:[0-9]{1,5})?$'), true) from unnest(origins) o
$$;
grant execute on function private.valid_web_origins(text[]) to authenticated, service_role;

create table public.web_forms (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  name text not null check (length(name) between 1 and 200),
  -- The public address: /f/{key}. Random, so forms cannot be enumerated.
  key text not null unique default 'wf_' || encode(extensions.gen_random_bytes(12), 'hex')
    check (key ~ '^wf_[a-z0-9]{8,40}$'),
  fields jsonb not null check (private.valid_web_form_fields(fields)),
  allowed_origins text[] not null default '{}'
    check (cardinality(allowed_origins) <= 20 and private.valid_web_origins(allowed_origins)),
  thank_you_message text not null default 'Thank you. We will be in touch soon.'
    check (length(thank_you_message) between 1 and 2000),
  -- When set, a plain HTML submission is answered with a 303 to it instead of the message.
  redirect_url text check (length(redirect_url) <= 2000 and redirect_url ~* '^https?://[^\s/?#@]+([/?#]\S*)?$'),
  honeypot_field text not null default 'website_url' check (honeypot_field ~ '^[a-z][a-z0-9_]{0,39}$'),
  min_fill_seconds int not null default 3 check (min_fill_seconds between 0 and 3600),
  ip_rate_limit_per_minute int not null default 5 check (ip_rate_limit_per_minute between 1 and 1000),
  rate_limit_per_minute int not null default 60 check (rate_limit_per_minute between 1 and 100000),
  turnstile_enabled boolean not null default false,
  enabled boolean not null default true,
  -- Signs the fill-time tokens the form is served with. Never readable by
  -- members (no column grant), kept out of the audit log by its name.
  secret text not null default encode(extensions.gen_random_bytes(32), 'hex'),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, id),
  -- The honeypot must not shadow a real field.
  check (not fields @> jsonb_build_array(jsonb_build_object('name', honeypot_field)))
);
create index web_forms_org_idx on public.web_forms (org_id, created_at);
alter table public.web_forms enable row level security;

grant select (id, org_id, name, key, fields, allowed_origins, thank_you_message, redirect_url, honeypot_field,
              min_fill_seconds, ip_rate_limit_per_minute, rate_limit_per_minute, turnstile_enabled, enabled,
              created_by, created_at, updated_at)
  on public.web_forms to authenticated;
grant insert (org_id, name, fields, allowed_origins, thank_you_message, redirect_url, honeypot_field, min_fill_seconds,
              ip_rate_limit_per_minute, rate_limit_per_minute, turnstile_enabled, enabled)
  on public.web_forms to authenticated;
grant update (name, fields, allowed_origins, thank_you_message, redirect_url, honeypot_field, min_fill_seconds,
              ip_rate_limit_per_minute, rate_limit_per_minute, turnstile_enabled, enabled)
  on public.web_forms to authenticated;
grant delete on public.web_forms to authenticated;

create policy web_forms_select on public.web_forms for select to authenticated
  using (public.is_member_of(org_id));
create policy web_forms_insert on public.web_forms for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy web_forms_update on public.web_forms for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy web_forms_delete on public.web_forms for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger web_forms_touch before update on public.web_forms
  for each row execute function private.touch_updated_at();
create trigger web_forms_audit after insert or update or delete on public.web_forms
  for each row execute function private.audit();

-- Every submission the endpoint judged, whatever the verdict: `accepted`
-- (a lead was written in the same transaction), `spam` (with the reason; no
-- lead) or `rejected` (with the field errors the visitor was shown; no lead).
-- Requests refused before they are read (rate limits, unknown or disabled
-- forms, origins not allowed) are not stored: storing them would let anyone
-- fill the table.
create table public.web_form_submissions (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  form_id uuid not null,
  outcome text not null check (outcome in ('accepted', 'spam', 'rejected')),
  spam_reason text check (spam_reason in ('honeypot', 'too_fast', 'missing_token', 'bad_token', 'turnstile')),
  -- { field: [message] } for a rejected submission.
  errors jsonb check (errors is null or jsonb_typeof(errors) = 'object'),
  -- The fields as submitted, by the form's field names.
  data jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
  utm jsonb not null default '{}' check (jsonb_typeof(utm) = 'object'),
  referrer text check (length(referrer) <= 2000),
  origin text check (length(origin) <= 300),
  ip text check (length(ip) <= 100),
  user_agent text check (length(user_agent) <= 500),
  created_at timestamptz not null default now(),
  foreign key (org_id, form_id) references public.web_forms (org_id, id) on delete cascade,
  check ((outcome = 'spam') = (spam_reason is not null)),
  check ((outcome = 'rejected') = (errors is not null))
);
create index web_form_submissions_form_idx on public.web_form_submissions (form_id, created_at desc);
create index web_form_submissions_org_idx on public.web_form_submissions (org_id, created_at desc);
alter table public.web_form_submissions enable row level security;

grant select on public.web_form_submissions to authenticated;
grant delete on public.web_form_submissions to authenticated;

create policy web_form_submissions_select on public.web_form_submissions for select to authenticated
  using (public.is_member_of(org_id));
create policy web_form_submissions_delete on public.web_form_submissions for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));
