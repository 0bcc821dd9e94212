-- CSV imports: the uploaded file's rows staged server-side between the
-- mapping, preview and commit steps, and what each commit changed so the
-- whole import can be undone.
--
-- Staged rows and undo data are kept in batches (one row per ~2,000 CSV rows
-- or per commit chunk), not one row per record: a 100k-row import then costs a
-- few hundred inserts here (each audited) instead of 100k.

create table public.imports (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  object_type public.crm_object not null,
  file_name text not null check (length(file_name) between 1 and 255),
  file_size bigint not null check (file_size >= 0),
  -- The header row as it appears in the file.
  headers text[] not null,
  row_count int not null check (row_count >= 0),
  -- { "<header index>": "<target field>" } chosen in the mapping step.
  mapping jsonb not null default '{}' check (jsonb_typeof(mapping) = 'object'),
  duplicate_mode text not null default 'skip' check (duplicate_mode in ('skip', 'update', 'create')),
  status text not null default 'pending' check (status in ('pending', 'completed', 'undone')),
  created_count int not null default 0,
  updated_count int not null default 0,
  skipped_count int not null default 0,
  -- Companies a people or deals import created to link rows to.
  linked_created_count int not null default 0,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  committed_at timestamptz,
  undone_at timestamptz,
  undone_by uuid references auth.users (id) on delete set null,
  unique (id, org_id)
);
create index imports_org_created_idx on public.imports (org_id, created_at desc, id desc);
alter table public.imports enable row level security;

create trigger imports_touch before update on public.imports
  for each row execute function private.touch_updated_at();
create trigger imports_audit after insert or update or delete on public.imports
  for each row execute function private.audit();

grant select on public.imports to authenticated;
grant insert (id, org_id, object_type, file_name, file_size, headers, row_count, mapping, duplicate_mode)
  on public.imports to authenticated;
grant update (mapping, duplicate_mode, status, created_count, updated_count, skipped_count, linked_created_count,
              committed_at, undone_at, undone_by)
  on public.imports to authenticated;
grant delete on public.imports to authenticated;

create policy imports_select on public.imports for select to authenticated using (public.is_member_of(org_id));
create policy imports_insert on public.imports for insert to authenticated
  with check (public.is_member_of(org_id) and created_by = auth.uid());
create policy imports_update on public.imports for update to authenticated
  using (public.is_member_of(org_id)) with check (public.is_member_of(org_id));
create policy imports_delete on public.imports for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- The file's data rows, in order: `rows` is a JSON array of arrays of cell
-- strings and `row_numbers` their spreadsheet row numbers (header = 1; blank
-- lines are skipped and a quoted cell may span lines, so they are kept). Scratch data,
-- deleted when the import is committed; not audited, because the audit log
-- would otherwise keep a second copy of every uploaded file (the upload
-- itself is audited through its `imports` row).
create table public.import_rows (
  import_id uuid not null,
  org_id uuid not null references public.orgs (id) on delete cascade,
  batch int not null check (batch >= 0),
  rows jsonb not null check (jsonb_typeof(rows) = 'array'),
  row_numbers int[] not null,
  -- The preview step reads every staged row against the mapping (normalised
  -- values, references, issues). It keeps that reading per batch, keyed by what
  -- it was read against (mapping, custom field definitions, org currency), so
  -- the commit that follows reuses it instead of validating every row again.
  -- Only the member who uploaded the file writes it, and the commit trusts it
  -- only for that member: anyone else's commit validates the rows itself.
  checked jsonb check (jsonb_typeof(checked) = 'array'),
  checked_key text,
  primary key (import_id, batch),
  foreign key (import_id, org_id) references public.imports (id, org_id) on delete cascade
);
create index import_rows_org_idx on public.import_rows (org_id);
alter table public.import_rows enable row level security;

grant select, insert (import_id, org_id, batch, rows, row_numbers), delete on public.import_rows to authenticated;
create policy import_rows_select on public.import_rows for select to authenticated using (public.is_member_of(org_id));
create policy import_rows_insert on public.import_rows for insert to authenticated with check (public.is_member_of(org_id));
create policy import_rows_delete on public.import_rows for delete to authenticated using (public.is_member_of(org_id));

-- What one commit chunk did: the records it created (deleted on undo) and
-- the previous values of the columns it overwrote on existing records
-- (restored on undo): [{ "id": ..., "previous": { column: value } }].
create table public.import_changes (
  id bigint generated always as identity primary key,
  import_id uuid not null,
  org_id uuid not null references public.orgs (id) on delete cascade,
  object_type public.crm_object not null,
  created_ids uuid[] not null default '{}',
  updated jsonb not null default '[]' check (jsonb_typeof(updated) = 'array'),
  foreign key (import_id, org_id) references public.imports (id, org_id) on delete cascade
);
create index import_changes_import_idx on public.import_changes (import_id);
create index import_changes_org_idx on public.import_changes (org_id);
alter table public.import_changes enable row level security;
create trigger import_changes_audit after insert or update or delete on public.import_changes
  for each row execute function private.audit();

grant select, insert (import_id, org_id, object_type, created_ids, updated) on public.import_changes to authenticated;
create policy import_changes_select on public.import_changes for select to authenticated
  using (public.is_member_of(org_id));
create policy import_changes_insert on public.import_changes for insert to authenticated
  with check (public.is_member_of(org_id));

grant update (checked, checked_key) on public.import_rows to authenticated;
create policy import_rows_update on public.import_rows for update to authenticated
  using (public.is_member_of(org_id)
         and exists (select 1 from public.imports i
                     where i.id = import_id and i.created_by = auth.uid() and i.status = 'pending'))
  with check (public.is_member_of(org_id));
