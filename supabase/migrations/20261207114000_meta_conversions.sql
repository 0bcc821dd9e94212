-- Conversions API for CRM leads: when a lead that came from a Meta lead ad
-- is qualified, won or converted in Covey, Meta is told (a CRM event with
-- the lead's Meta id and hashed email and phone), so campaigns optimise for
-- leads that turn into business. The meta.send_conversions job
-- (modules/meta/conversions.ts) sends what is due every minute; each send is
-- logged here with Meta's answer, once per lead and event.

-- The Meta dataset (CRM pixel) a page's conversion events go to; none, none sent.
alter table public.meta_pages
  add column conversions_dataset_id text check (conversions_dataset_id ~ '^[0-9]{1,30}$');
grant update (conversions_dataset_id) on public.meta_pages to authenticated;

create table public.meta_conversion_events (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  -- The lead (public.leads; no foreign key: leads are defined by a later migration, and the log outlives a deleted lead).
  lead_id uuid not null,
  page_id uuid not null,
  event_name text not null check (event_name in ('qualified', 'won', 'converted')),
  -- Meta deduplicates by it: `<lead id>:<event>`.
  event_id text not null check (length(event_id) <= 100),
  dataset_id text not null check (dataset_id ~ '^[0-9]{1,30}$'),
  status text not null check (status in ('sent', 'failed')),
  attempts int not null default 1,
  events_received int,
  fbtrace_id text check (length(fbtrace_id) <= 100),
  error text check (length(error) <= 1000),
  sent_at timestamptz not null default now(),
  unique (lead_id, event_name),
  foreign key (page_id, org_id) references public.meta_pages (id, org_id) on delete cascade
);
create index meta_conversion_events_org_idx on public.meta_conversion_events (org_id, sent_at desc);
create index meta_conversion_events_page_idx on public.meta_conversion_events (page_id, sent_at desc);
alter table public.meta_conversion_events enable row level security;

grant select on public.meta_conversion_events to authenticated;
grant select, insert, update on public.meta_conversion_events to service_role;
create policy meta_conversion_events_select on public.meta_conversion_events for select to authenticated
  using (public.is_member_of(org_id));

insert into private.job_schedules (name, kind, payload, every)
values ('meta.send_conversions', 'meta.send_conversions', '{}', '1 minute');
