-- A deal may be flagged priority: highlighted in lists and on board cards,
-- filterable, and its changes on the timeline and in deal.updated events
-- like any other field. Anyone who works the deal may flag it.

alter table public.deals add column priority boolean not null default false;
grant insert (priority), update (priority) on public.deals to authenticated;

-- Flagged deals are few: the list's "priority" filter reads them from here.
create index deals_priority_idx on public.deals (org_id, created_at desc, id desc) where priority;
