-- Meta ad spend: the ad accounts an org connected and what each campaign
-- spent per day, so cost per lead can sit beside the leads the campaigns
-- brought. An account's token (a system-user or page token with ads_read)
-- is an org secret (public.org_secrets, purpose `meta.ads_token:<act id>`),
-- sealed by the app; this table only says which secret it is and how the
-- last import went.
--
-- The meta.import_ad_spend job (modules/meta/ad-spend-import.ts) fetches the
-- account's campaign insights per day from the Graph API and upserts them:
-- a 30-day backfill when an account is connected (or its token replaced),
-- then the last 7 days every day, since Meta revises recent days.
--
-- Owners and admins manage accounts (Settings → Integrations → Meta); every
-- member may read them and the spend. Only the job (service_role) writes spend.

create table public.meta_ad_accounts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  account_id text not null check (account_id ~ '^act_[0-9]{1,30}$'),
  name text not null check (length(name) between 1 and 200),
  -- ISO 4217, as Meta reports it; every spend figure of the account is in it.
  currency text not null check (currency ~ '^[A-Z]{3}$'),
  -- IANA name (timezone_name at Meta): the account's days are days there.
  time_zone text not null check (time_zone ~ '^[A-Za-z0-9_+/-]{1,64}$'),
  token_secret_id uuid not null,
  enabled boolean not null default true,
  last_import_at timestamptz,
  last_import_status text check (last_import_status in ('ok', 'failed')),
  last_import_error text check (length(last_import_error) <= 500),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (org_id, account_id),
  unique (id, org_id),
  foreign key (token_secret_id, org_id) references public.org_secrets (id, org_id)
);
create index meta_ad_accounts_secret_idx on public.meta_ad_accounts (token_secret_id);
alter table public.meta_ad_accounts enable row level security;

grant select, delete on public.meta_ad_accounts to authenticated;
grant insert (org_id, account_id, name, currency, time_zone, token_secret_id, enabled) on public.meta_ad_accounts to authenticated;
grant update (name, currency, time_zone, token_secret_id, enabled) on public.meta_ad_accounts to authenticated;
grant select, update on public.meta_ad_accounts to service_role;

create policy meta_ad_accounts_select on public.meta_ad_accounts for select to authenticated
  using (public.is_member_of(org_id));
create policy meta_ad_accounts_insert on public.meta_ad_accounts for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy meta_ad_accounts_update on public.meta_ad_accounts for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy meta_ad_accounts_delete on public.meta_ad_accounts for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger meta_ad_accounts_touch before update on public.meta_ad_accounts
  for each row execute function private.touch_updated_at();
create trigger meta_ad_accounts_audit after insert or update of name, token_secret_id, enabled or delete on public.meta_ad_accounts
  for each row execute function private.audit();

-- Disconnecting an account drops its token with it.
create function private.meta_ad_account_drop_token() returns trigger
language plpgsql set search_path = '' as $$
begin
  delete from public.org_secrets s where s.id = old.token_secret_id and s.org_id = old.org_id
    and not exists (select 1 from public.meta_ad_accounts a where a.token_secret_id = old.token_secret_id);
  return null;
end
$$;
create trigger meta_ad_accounts_drop_token after delete on public.meta_ad_accounts
  for each row execute function private.meta_ad_account_drop_token();

-- Spend per campaign and day, as Meta's insights report it (level=campaign,
-- time_increment=1). `date` is the account's day, in its time zone; `spend`
-- is in the account's currency. `leads` is what Meta counts (the `lead`
-- action), which may differ from the leads that reached Covey.
create table public.meta_ad_spend (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  ad_account_id uuid not null,
  campaign_id text not null check (campaign_id ~ '^[0-9]{1,30}$'),
  campaign_name text not null default '' check (length(campaign_name) <= 400),
  date date not null,
  spend numeric(18, 2) not null check (spend >= 0),
  impressions bigint not null default 0 check (impressions >= 0),
  clicks bigint not null default 0 check (clicks >= 0),
  leads integer not null default 0 check (leads >= 0),
  imported_at timestamptz not null default now(),
  unique (org_id, ad_account_id, campaign_id, date),
  foreign key (ad_account_id, org_id) references public.meta_ad_accounts (id, org_id) on delete cascade
);
create index meta_ad_spend_org_date_idx on public.meta_ad_spend (org_id, date desc, id desc);
create index meta_ad_spend_campaign_idx on public.meta_ad_spend (org_id, campaign_id, date);
alter table public.meta_ad_spend enable row level security;

grant select on public.meta_ad_spend to authenticated;
grant select, insert, update, delete on public.meta_ad_spend to service_role;
create policy meta_ad_spend_select on public.meta_ad_spend for select to authenticated
  using (public.is_member_of(org_id));

-- Leads are matched to campaigns by their Meta campaign id.
create index leads_campaign_idx on public.leads (org_id, (attribution ->> 'campaign_id'), created_at)
  where attribution ? 'campaign_id';

-- A new account, or a new token for one (connecting again sets
-- token_secret_id, even to the same secret), imports the last 30 days at
-- once, queued in the transaction that connects it.
create function private.meta_ad_account_backfill() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform private.enqueue_job('meta.import_ad_spend',
                              jsonb_build_object('accountId', new.id, 'days', 30),
                              new.org_id,
                              format('ad-spend:%s:connected@%s', new.id, clock_timestamp()));
  return null;
end
$$;
create trigger meta_ad_accounts_backfill after insert or update of token_secret_id on public.meta_ad_accounts
  for each row execute function private.meta_ad_account_backfill();

-- Every day the meta.schedule_ad_spend job queues one import of the last 7
-- days per enabled account.
insert into private.job_schedules (name, kind, payload, every)
values ('meta.ad_spend', 'meta.schedule_ad_spend', '{}', '1 day');
