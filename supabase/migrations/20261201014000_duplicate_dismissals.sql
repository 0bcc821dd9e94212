-- "Not a duplicate": a pair of people or of companies someone reviewed and
-- decided are different records. Duplicate detection leaves dismissed pairs
-- out for the whole org. A pair is stored once, lower id first, in the
-- columns of its kind; the composite foreign keys keep both records in the
-- row's org and drop the dismissal with either record (a merge or a delete).
-- Dismissing is the same decision as merging, so the same roles may do it.

create table public.duplicate_dismissals (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  person_a_id uuid,
  person_b_id uuid,
  company_a_id uuid,
  company_b_id uuid,
  dismissed_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  check (
    (person_a_id is not null and person_b_id is not null and company_a_id is null and company_b_id is null)
    or (company_a_id is not null and company_b_id is not null and person_a_id is null and person_b_id is null)
  ),
  check (person_a_id < person_b_id),
  check (company_a_id < company_b_id),
  foreign key (person_a_id, org_id) references public.people (id, org_id) on delete cascade,
  foreign key (person_b_id, org_id) references public.people (id, org_id) on delete cascade,
  foreign key (company_a_id, org_id) references public.companies (id, org_id) on delete cascade,
  foreign key (company_b_id, org_id) references public.companies (id, org_id) on delete cascade
);
create unique index duplicate_dismissals_people_key on public.duplicate_dismissals (org_id, person_a_id, person_b_id)
  where person_a_id is not null;
create unique index duplicate_dismissals_companies_key on public.duplicate_dismissals (org_id, company_a_id, company_b_id)
  where company_a_id is not null;
-- The foreign keys' cascades look rows up by the second record too.
create index duplicate_dismissals_person_b_idx on public.duplicate_dismissals (person_b_id) where person_b_id is not null;
create index duplicate_dismissals_company_b_idx on public.duplicate_dismissals (company_b_id) where company_b_id is not null;
alter table public.duplicate_dismissals enable row level security;

grant select, delete on public.duplicate_dismissals to authenticated;
grant insert (org_id, person_a_id, person_b_id, company_a_id, company_b_id) on public.duplicate_dismissals to authenticated;

create policy duplicate_dismissals_select on public.duplicate_dismissals for select to authenticated
  using (public.is_member_of(org_id));
create policy duplicate_dismissals_insert on public.duplicate_dismissals for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin,manager}'));
create policy duplicate_dismissals_delete on public.duplicate_dismissals for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin,manager}'));

create trigger duplicate_dismissals_audit after insert or update or delete on public.duplicate_dismissals
  for each row execute function private.audit();
