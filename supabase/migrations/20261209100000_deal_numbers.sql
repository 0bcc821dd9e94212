-- Numbered pipelines: a deal created on (or moved into) a pipeline with
-- `numbered` takes the org's next deal number, as a surrogacy agency numbers
-- its cases 00001, 00002, ... The numbers are per org, never repeat and
-- never skip: each is taken from the org's counter row inside the inserting
-- transaction (`update ... set last = last + 1`), whose row lock serialises
-- concurrent inserts of one org until they commit, and a rolled-back insert
-- rolls the counter back with it, giving its number back.
--
-- A number, once given, is the deal's for good: moving out of a numbered
-- pipeline keeps it (a case handed to another pipeline is still case 00042),
-- and moving back in does not take another. A deal entering a numbered
-- pipeline without one takes the next. Turning numbering on for a pipeline
-- numbers its deals that have none, oldest first. A deleted deal's number is
-- not reused. Nobody writes a number directly: the column is not granted.

alter table public.pipelines add column numbered boolean not null default false;
grant insert (numbered), update (numbered) on public.pipelines to authenticated;

alter table public.deals add column number bigint check (number > 0);
alter table public.deals add constraint deals_org_number_key unique (org_id, number);

create table private.deal_number_counters (
  org_id uuid primary key references public.orgs (id) on delete cascade,
  last bigint not null check (last >= 0)
);
-- Only the security-definer functions below, its owner's, read and write it;
-- RLS with no policy says so to everyone else.
alter table private.deal_number_counters enable row level security;

-- The org's next `n` numbers, the last of them returned. The upsert creates
-- the counter on first use; racing first uses wait for each other on the key.
create function private.take_deal_numbers(org uuid, n bigint) returns bigint
language sql security definer set search_path = '' as $$
  insert into private.deal_number_counters as c (org_id, last) values (org, n)
  on conflict (org_id) do update set last = c.last + excluded.last
  returning c.last
$$;
revoke execute on function private.take_deal_numbers(uuid, bigint) from public;

create function private.number_deal() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' then
    new.number := old.number;
  else
    new.number := null;
  end if;
  if new.number is null
     and (select p.numbered from public.pipelines p where p.id = new.pipeline_id and p.org_id = new.org_id) then
    new.number := private.take_deal_numbers(new.org_id, 1);
  end if;
  return new;
end
$$;
create trigger deals_number before insert or update of pipeline_id, number on public.deals
  for each row execute function private.number_deal();

-- One row at a time, oldest first: each update takes its number through
-- private.number_deal, as a deal moved in would.
create function private.number_pipeline_deals() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  r record;
begin
  for r in select d.id from public.deals d where d.pipeline_id = new.id and d.number is null order by d.created_at, d.id loop
    update public.deals d set pipeline_id = d.pipeline_id where d.id = r.id;
  end loop;
  return null;
end
$$;
create trigger pipelines_number_deals after update of numbered on public.pipelines
  for each row when (new.numbered and not old.numbered) execute function private.number_pipeline_deals();

create index deals_org_number_idx on public.deals (org_id, number desc nulls last, id desc);
