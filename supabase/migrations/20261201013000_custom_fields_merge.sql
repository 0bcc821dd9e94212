-- Custom field lifecycle (archive keeps values, delete removes them, options
-- still in use cannot be removed) and merging duplicate people and companies.

-- ---------------------------------------------------------------------------
-- Custom fields
-- ---------------------------------------------------------------------------

-- Removing a select option that records still hold would leave values no
-- form can show or re-save. Refused with the count, so the admin can clear
-- or change those records first (a list filter on the field finds them).
-- Invoker: only owners and admins update definitions, and they read every
-- record of their org.
create function private.guard_custom_field_options() returns trigger
language plpgsql set search_path = '' as $$
declare
  removed text;
  used bigint;
  tbl text := case new.object_type when 'person' then 'people' when 'company' then 'companies' else 'deals' end;
begin
  for removed in
    select o ->> 'value' from jsonb_array_elements(old.options) o
    except
    select o ->> 'value' from jsonb_array_elements(new.options) o
  loop
    execute format(
      'select count(*) from public.%I where org_id = $1 and custom @> $2', tbl)
      into used
      using new.org_id,
            case new.field_type
              when 'multi_select' then jsonb_build_object(new.key, jsonb_build_array(removed))
              else jsonb_build_object(new.key, removed)
            end;
    if used > 0 then
      raise exception 'The option "%" is used by % %; change those records first', removed, used,
        case when used = 1 then 'record' else 'records' end
        using errcode = '23514', hint = 'options';
    end if;
  end loop;
  return new;
end
$$;

create trigger custom_field_definitions_options before update of options on public.custom_field_definitions
  for each row when (old.options is distinct from new.options)
  execute function private.guard_custom_field_options();

-- Deleting a definition deletes its values, in the same transaction, whatever
-- the path. Each changed record gets its timeline entry and domain event like
-- any other edit. Invoker: the deleting admin updates their own org's rows.
create function private.remove_custom_field_values() returns trigger
language plpgsql set search_path = '' as $$
declare
  tbl text := case old.object_type when 'person' then 'people' when 'company' then 'companies' else 'deals' end;
begin
  if not exists (select 1 from public.orgs where id = old.org_id) then
    return null;
  end if;
  execute format('update public.%I set custom = custom - $2 where org_id = $1 and custom ? $2', tbl)
    using old.org_id, old.key;
  return null;
end
$$;

create trigger custom_field_definitions_remove_values after delete on public.custom_field_definitions
  for each row execute function private.remove_custom_field_values();

-- ---------------------------------------------------------------------------
-- Merge
-- ---------------------------------------------------------------------------
-- Merging rewrites references on notes, tasks, deals and the timeline (which
-- users may not update) and removes the merged record (which managers may not
-- delete), so the functions are security definer with the checks RLS would
-- make spelled out: the caller is an owner, admin or manager (records.archive)
-- of the org both records belong to. Every statement below is keyed on that
-- org. Triggers still see the caller's claims, so the timeline, domain events
-- and audit name them.
--
-- The merged record is deleted, not archived: all it held now lives on the
-- survivor, an archived shell would come back as a duplicate, and its
-- snapshot stays in the survivor's `merged` timeline item and the
-- `<object>.merged` event.
--
-- `fields` picks per field which record's value the survivor keeps:
-- {"email": "merged", "custom.budget": "survivor"}. A field not named keeps
-- the survivor's value, or the merged record's where the survivor's is empty.
-- Tags, additional emails and phones are unions; the primary email or phone
-- that is not kept becomes an additional one.

-- A note moved to the surviving record by a merge is not an edited note:
-- its updated_at stays unless its text changes. (Users can only update a
-- note's body; references change only through a merge.)
create function private.note_keep_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  if new.body_html = old.body_html then
    new.updated_at := old.updated_at;
  end if;
  return new;
end
$$;

-- Named to fire after notes_touch (triggers fire in name order).
create trigger notes_touch_moved before update of person_id, company_id on public.notes
  for each row execute function private.note_keep_updated_at();

-- The merged record's own history moves to the survivor, except its
-- "created" item: the survivor's `merged` item tells that story.
create function private.merge_timeline(org uuid, obj text, survivor uuid, merged uuid) returns void
language sql set search_path = '' as $$
  delete from public.timeline_events
   where org_id = org and subject_type = obj and subject_id = merged and kind = 'created';
  update public.timeline_events set person_id = survivor where obj = 'person' and org_id = org and person_id = merged;
  update public.timeline_events set company_id = survivor where obj = 'company' and org_id = org and company_id = merged;
$$;

create function private.merge_check(obj text, survivor uuid, merged uuid, fields jsonb) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  org uuid := private.current_org_id();
  tbl text := case obj when 'person' then 'people' else 'companies' end;
  s_org uuid;
  m_org uuid;
begin
  if private.is_end_user() and (org is null or private.current_org_role() not in ('owner', 'admin', 'manager')) then
    raise exception 'Only managers, admins and owners can merge records' using errcode = '42501', hint = 'role';
  end if;
  if survivor is null or merged is null or survivor = merged then
    raise exception 'Choose two different records to merge' using errcode = '22023', hint = 'merged';
  end if;
  if jsonb_typeof(coalesce(fields, '{}')) <> 'object' or exists (
    select 1 from jsonb_each(coalesce(fields, '{}')) e where e.value not in ('"survivor"', '"merged"')) then
    raise exception 'Each field must keep the "survivor" or the "merged" value' using errcode = '22023', hint = 'fields';
  end if;
  execute format('select org_id from public.%I where id = $1', tbl) into s_org using survivor;
  execute format('select org_id from public.%I where id = $1', tbl) into m_org using merged;
  if s_org is null or (private.is_end_user() and s_org <> org) then
    raise exception 'The record to keep was not found' using errcode = 'P0002', hint = 'survivor';
  end if;
  if m_org is null or m_org <> s_org then
    raise exception 'The record to merge was not found' using errcode = 'P0002', hint = 'merged';
  end if;
  return s_org;
end
$$;

-- The survivor's value of each field in `cols`, or the merged one's as chosen
-- (or where the survivor's is empty); custom values key by key.
create function private.merge_values(s jsonb, m jsonb, cols text[], fields jsonb, active_custom text[])
returns jsonb
language sql immutable set search_path = '' as $$
  select jsonb_build_object('custom',
           coalesce((
             select jsonb_object_agg(k, case
                      when fields ->> ('custom.' || k) = 'merged' then m -> 'custom' -> k
                      when fields ->> ('custom.' || k) = 'survivor' then s -> 'custom' -> k
                      else coalesce(s -> 'custom' -> k, m -> 'custom' -> k) end)
             from (select jsonb_object_keys(coalesce(s -> 'custom', '{}') || coalesce(m -> 'custom', '{}')) k) keys
             -- Values of fields archived since stay where they are; they are
             -- not copied onto the survivor.
             where s -> 'custom' ? k or k = any (active_custom)), '{}'))
    || coalesce((
         select jsonb_object_agg(c, case
                  when fields ->> c = 'merged' then m -> c
                  when fields ->> c = 'survivor' then s -> c
                  when s -> c is null or s -> c = 'null' or s ->> c = '' then m -> c
                  else s -> c end)
         from unnest(cols) c), '{}')
$$;

-- Case-insensitive union keeping first-seen order, minus `drop`.
create function private.merge_list(a text[], b text[], drop text[]) returns text[]
language sql immutable set search_path = '' as $$
  select coalesce(array_agg(v order by ord), '{}')
  from (
    select distinct on (lower(v)) v, ord
    from unnest(coalesce(a, '{}') || coalesce(b, '{}')) with ordinality u(v, ord)
    where v is not null and v <> '' and lower(v) <> all (select lower(d) from unnest(coalesce(drop, '{}')) d where d is not null)
    order by lower(v), ord
  ) x
$$;

create function public.merge_people(survivor uuid, merged uuid, fields jsonb default '{}')
returns void
language plpgsql security definer set search_path = '' as $$
declare
  org uuid := private.merge_check('person', survivor, merged, fields);
  s public.people;
  m public.people;
  v jsonb;
  email_kept text;
  phone_kept text;
  active text[];
  snapshot jsonb;
begin
  select * into s from public.people where id = survivor and org_id = org for update;
  select * into m from public.people where id = merged and org_id = org for update;
  select coalesce(array_agg(d.key), '{}') into active from public.custom_field_definitions d
    where d.org_id = org and d.object_type = 'person' and d.archived_at is null;

  v := private.merge_values(to_jsonb(s), to_jsonb(m),
    array['first_name', 'last_name', 'email', 'phone', 'title', 'company_id', 'linkedin_url', 'website',
          'address_line1', 'address_line2', 'city', 'state', 'postal_code', 'country', 'source', 'owner_id'],
    fields, active);
  email_kept := v ->> 'email';
  phone_kept := v ->> 'phone';
  snapshot := to_jsonb(m) - array['custom'] || jsonb_build_object('custom', m.custom);

  update public.notes set person_id = survivor where org_id = org and person_id = merged;
  update public.tasks set person_id = survivor where org_id = org and person_id = merged;
  update public.deals set person_id = survivor where org_id = org and person_id = merged;
  perform private.merge_timeline(org, 'person', survivor, merged);

  -- Gone before the survivor takes over its email (unique among active people).
  delete from public.people where id = merged and org_id = org;

  update public.people p set
    first_name = r.first_name, last_name = r.last_name, email = r.email, phone = r.phone, title = r.title,
    company_id = r.company_id, linkedin_url = r.linkedin_url, website = r.website,
    address_line1 = r.address_line1, address_line2 = r.address_line2, city = r.city, state = r.state,
    postal_code = r.postal_code, country = r.country, source = r.source, owner_id = r.owner_id,
    custom = r.custom,
    additional_emails = private.merge_list(
      array[s.email::text, m.email::text] || s.additional_emails::text[] || m.additional_emails::text[], '{}',
      array[email_kept]),
    additional_phones = private.merge_list(
      array[s.phone, m.phone] || s.additional_phones || m.additional_phones, '{}', array[phone_kept]),
    tags = private.merge_list(s.tags, m.tags, '{}'),
    last_contacted_at = greatest(s.last_contacted_at, m.last_contacted_at)
  from jsonb_populate_record(null::public.people, v) r
  where p.id = survivor and p.org_id = org;

  perform private.timeline_add(org, 'merged', 'person', survivor, survivor, null, null,
    jsonb_build_object('merged_id', merged, 'merged_name', coalesce(nullif(m.full_name, ''), m.email::text),
                       'merged', snapshot));
  perform private.emit(org, 'person.merged', 'person', survivor,
    (select to_jsonb(p) from public.people p where p.id = survivor),
    jsonb_build_object('merged_id', merged, 'merged', snapshot));
end
$$;

create function public.merge_companies(survivor uuid, merged uuid, fields jsonb default '{}')
returns void
language plpgsql security definer set search_path = '' as $$
declare
  org uuid := private.merge_check('company', survivor, merged, fields);
  s public.companies;
  m public.companies;
  v jsonb;
  active text[];
  snapshot jsonb;
begin
  select * into s from public.companies where id = survivor and org_id = org for update;
  select * into m from public.companies where id = merged and org_id = org for update;
  select coalesce(array_agg(d.key), '{}') into active from public.custom_field_definitions d
    where d.org_id = org and d.object_type = 'company' and d.archived_at is null;

  v := private.merge_values(to_jsonb(s), to_jsonb(m),
    array['name', 'domain', 'website', 'email', 'phone', 'industry', 'employee_count', 'description',
          'linkedin_url', 'address_line1', 'address_line2', 'city', 'state', 'postal_code', 'country', 'owner_id'],
    fields, active);
  snapshot := to_jsonb(m);

  update public.people set company_id = survivor where org_id = org and company_id = merged;
  update public.notes set company_id = survivor where org_id = org and company_id = merged;
  update public.tasks set company_id = survivor where org_id = org and company_id = merged;
  update public.deals set company_id = survivor where org_id = org and company_id = merged;
  perform private.merge_timeline(org, 'company', survivor, merged);

  delete from public.companies where id = merged and org_id = org;

  update public.companies c set
    name = r.name, domain = r.domain, website = r.website, email = r.email, phone = r.phone,
    industry = r.industry, employee_count = r.employee_count, description = r.description,
    linkedin_url = r.linkedin_url, address_line1 = r.address_line1, address_line2 = r.address_line2,
    city = r.city, state = r.state, postal_code = r.postal_code, country = r.country, owner_id = r.owner_id,
    custom = r.custom,
    tags = private.merge_list(s.tags, m.tags, '{}'),
    last_contacted_at = greatest(s.last_contacted_at, m.last_contacted_at)
  from jsonb_populate_record(null::public.companies, v) r
  where c.id = survivor and c.org_id = org;

  perform private.timeline_add(org, 'merged', 'company', survivor, null, survivor, null,
    jsonb_build_object('merged_id', merged, 'merged_name', m.name, 'merged', snapshot));
  perform private.emit(org, 'company.merged', 'company', survivor,
    (select to_jsonb(c) from public.companies c where c.id = survivor),
    jsonb_build_object('merged_id', merged, 'merged', snapshot));
end
$$;

revoke all on function public.merge_people(uuid, uuid, jsonb) from public;
revoke all on function public.merge_companies(uuid, uuid, jsonb) from public;
grant execute on function public.merge_people(uuid, uuid, jsonb) to authenticated, service_role;
grant execute on function public.merge_companies(uuid, uuid, jsonb) to authenticated, service_role;
