-- Audit log: every write to a tenant table, by trigger, so no code path can
-- skip it. Readable by owners and admins; nobody writes it directly.

-- Written only by triggers, from rows whose own foreign keys already hold,
-- so the log keeps no foreign keys of its own (checking them again cost a
-- fifth of a large import's time); an org's rows go with it, by a statement
-- trigger (private.org_logs_deleted).
create table public.audit_log (
  id bigint generated always as identity primary key,
  org_id uuid not null,
  actor_id uuid,
  -- 'user' for a signed-in person; 'system' for trusted server work.
  actor_type text not null default 'user' check (actor_type in ('user', 'system', 'api_key')),
  table_name text not null,
  record_id text not null,
  action text not null check (action in ('insert', 'update', 'delete')),
  -- insert: the new row; delete: the old row; update: {field: [old, new]}.
  changes jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index audit_log_org_created_idx on public.audit_log (org_id, created_at desc, id desc);
alter table public.audit_log enable row level security;

grant select on public.audit_log to authenticated;
create policy audit_log_select on public.audit_log for select to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

-- Columns never copied into the log: secrets and noise.
create function private.audit_redact(row_data jsonb) returns jsonb
language sql immutable parallel safe
return row_data operator(pg_catalog.-) array['token_hash', 'updated_at', 'encrypted_password', 'secret_hash', 'secret',
                                            'previous_secret', 'last_used_at']::text[];

-- TG_ARGV[0] names the org column (default org_id), TG_ARGV[1] the key
-- column (default id). The actor is a user, an API key or the system.
create function private.audit() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  org_col text := coalesce(tg_argv[0], 'org_id');
  key_col text := coalesce(tg_argv[1], 'id');
  old_row jsonb := case when tg_op <> 'INSERT' then private.audit_redact(to_jsonb(old)) end;
  new_row jsonb := case when tg_op <> 'DELETE' then private.audit_redact(to_jsonb(new)) end;
  row_data jsonb := coalesce(new_row, old_row);
  diff jsonb;
  org uuid;
begin
  if tg_op = 'UPDATE' then
    select coalesce(jsonb_object_agg(n.key, jsonb_build_array(old_row -> n.key, n.value)), '{}')
      into diff
      from jsonb_each(new_row) n
      where n.value is distinct from old_row -> n.key;
    if diff = '{}' then
      return null;
    end if;
  else
    diff := row_data;
  end if;
  org := (case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end ->> org_col)::uuid;
  if tg_op = 'DELETE' and not exists (select 1 from public.orgs where id = org) then
    return null;
  end if;
  insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
  values (org, auth.uid(), private.actor_type(), tg_table_name, row_data ->> key_col, lower(tg_op), diff);
  return null;
end
$$;

create trigger orgs_audit after insert or update or delete on public.orgs
  for each row execute function private.audit('id');
create trigger org_members_audit after insert or update or delete on public.org_members
  for each row execute function private.audit();
create trigger org_invites_audit after insert or update or delete on public.org_invites
  for each row execute function private.audit();
create trigger profiles_audit after insert or update or delete on public.profiles
  for each row execute function private.audit('org_id', 'user_id');
