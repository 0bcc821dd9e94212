-- The preview step reads every staged row against the mapping (normalised
-- values, references, issues). It keeps that reading per batch, keyed by what
-- it was read against (mapping, custom field definitions, org currency), so
-- the commit that follows reuses it instead of validating every row again.
-- Only the member who uploaded the file writes it, and the commit trusts it
-- only for that member: anyone else's commit validates the rows itself.
alter table public.import_rows add column checked jsonb check (jsonb_typeof(checked) = 'array'),
                               add column checked_key text;

grant update (checked, checked_key) on public.import_rows to authenticated;
create policy import_rows_update on public.import_rows for update to authenticated
  using (public.is_member_of(org_id)
         and exists (select 1 from public.imports i
                     where i.id = import_id and i.created_by = auth.uid() and i.status = 'pending'))
  with check (public.is_member_of(org_id));
