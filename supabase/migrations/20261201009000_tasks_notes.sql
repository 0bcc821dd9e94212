-- Tasks and notes, each linked to a record (person, company or deal).

create type public.task_priority as enum ('low', 'normal', 'high', 'urgent');
create type public.task_status as enum ('todo', 'in_progress', 'waiting', 'done');

create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  title text not null check (length(btrim(title)) between 1 and 200),
  description text check (length(description) <= 10000),
  -- A due date alone is stored at the start of that day in the org's view
  -- with all_day set; a due time is a plain instant.
  due_at timestamptz,
  all_day boolean not null default false,
  priority public.task_priority not null default 'normal',
  status public.task_status not null default 'todo',
  completed_at timestamptz,
  assignee_id uuid,
  person_id uuid,
  company_id uuid,
  deal_id uuid,
  archived_at timestamptz,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  foreign key (assignee_id, org_id) references public.org_members (user_id, org_id) on delete set null (assignee_id),
  foreign key (person_id, org_id) references public.people (id, org_id) on delete set null (person_id),
  foreign key (company_id, org_id) references public.companies (id, org_id) on delete set null (company_id),
  foreign key (deal_id, org_id) references public.deals (id, org_id) on delete set null (deal_id)
);
create index tasks_org_due_idx on public.tasks (org_id, due_at, id) where archived_at is null;
create index tasks_assignee_idx on public.tasks (org_id, assignee_id, status, due_at) where archived_at is null;
create index tasks_org_created_idx on public.tasks (org_id, created_at desc, id desc);
create index tasks_person_idx on public.tasks (person_id) where person_id is not null;
create index tasks_company_idx on public.tasks (company_id) where company_id is not null;
create index tasks_deal_idx on public.tasks (deal_id) where deal_id is not null;
alter table public.tasks enable row level security;

create table public.notes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  -- Sanitised HTML (p, br, strong, em, ul, ol, li, a, blockquote): the app
  -- sanitises on the server before every write.
  body_html text not null check (length(body_html) between 1 and 100000),
  body_text text not null default '',
  author_id uuid default auth.uid() references auth.users (id) on delete set null,
  person_id uuid,
  company_id uuid,
  deal_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  check (num_nonnulls(person_id, company_id, deal_id) = 1),
  foreign key (person_id, org_id) references public.people (id, org_id) on delete cascade,
  foreign key (company_id, org_id) references public.companies (id, org_id) on delete cascade,
  foreign key (deal_id, org_id) references public.deals (id, org_id) on delete cascade
);
create index notes_person_idx on public.notes (person_id, created_at desc) where person_id is not null;
create index notes_company_idx on public.notes (company_id, created_at desc) where company_id is not null;
create index notes_deal_idx on public.notes (deal_id, created_at desc) where deal_id is not null;
create index notes_org_idx on public.notes (org_id, created_at desc);
alter table public.notes enable row level security;

grant select on public.tasks, public.notes to authenticated;
grant insert (id, org_id, title, description, due_at, all_day, priority, status, assignee_id, person_id, company_id,
              deal_id, archived_at)
  on public.tasks to authenticated;
grant update (title, description, due_at, all_day, priority, status, assignee_id, person_id, company_id, deal_id,
              archived_at)
  on public.tasks to authenticated;
grant delete on public.tasks to authenticated;
grant insert (id, org_id, body_html, body_text, person_id, company_id, deal_id) on public.notes to authenticated;
grant update (body_html, body_text) on public.notes to authenticated;
grant delete on public.notes to authenticated;

create policy tasks_select on public.tasks for select to authenticated using (public.is_member_of(org_id));
create policy tasks_insert on public.tasks for insert to authenticated with check (public.is_member_of(org_id));
create policy tasks_update on public.tasks for update to authenticated
  using (public.is_member_of(org_id)) with check (public.is_member_of(org_id));
create policy tasks_delete on public.tasks for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- Authors edit and delete their own notes; owners and admins any.
create policy notes_select on public.notes for select to authenticated using (public.is_member_of(org_id));
create policy notes_insert on public.notes for insert to authenticated
  with check (public.is_member_of(org_id) and author_id = auth.uid());
create policy notes_update on public.notes for update to authenticated
  using (public.is_member_of(org_id) and (author_id = auth.uid() or public.has_org_role(org_id, '{owner,admin}')))
  with check (public.is_member_of(org_id));
create policy notes_delete on public.notes for delete to authenticated
  using (public.is_member_of(org_id) and (author_id = auth.uid() or public.has_org_role(org_id, '{owner,admin}')));

create function private.task_completion() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.status = 'done' and (tg_op = 'INSERT' or old.status <> 'done') then
    new.completed_at := now();
  elsif new.status <> 'done' then
    new.completed_at := null;
  end if;
  return new;
end
$$;

create trigger tasks_touch before update on public.tasks
  for each row execute function private.touch_updated_at();
create trigger tasks_completion before insert or update of status on public.tasks
  for each row execute function private.task_completion();
create trigger tasks_guard before update of archived_at on public.tasks
  for each row execute function private.guard_record_update();
create trigger tasks_audit after insert or update or delete on public.tasks
  for each row execute function private.audit();

create trigger notes_touch before update on public.notes
  for each row execute function private.touch_updated_at();
create trigger notes_audit after insert or update or delete on public.notes
  for each row execute function private.audit();
