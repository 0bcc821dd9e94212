-- Which pipelines match with which, as data: a deal of the left pipeline
-- (a surrogacy agency's cases, a sales org's accounts) is matched with a deal
-- of the right pipeline (intended parents, partners). Each side names
-- itself ("Surrogate", "Intended parents") for the match's review steps and
-- for who declined, the stage its deals move to when matched, and the
-- stages whose deals are offered as candidates (none listed: every open
-- stage). A pipeline is on one side of at most one pairing, so a deal's
-- matches never need a choice of pairing.
--
-- Criteria say how a candidate fits (modules/matching/README.md): a field of
-- the left deal against a field of the right deal or a list the org keeps
-- (e.g. surrogacy-friendly states), explained met, unmet or unknown.
--
-- Every member reads both; owners and admins change them.

create table public.match_settings (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  left_pipeline_id uuid not null,
  right_pipeline_id uuid not null,
  left_label text not null check (length(btrim(left_label)) between 1 and 60),
  right_label text not null check (length(btrim(right_label)) between 1 and 60),
  left_matched_stage_id uuid,
  right_matched_stage_id uuid,
  left_candidate_stage_ids uuid[] not null default '{}' check (cardinality(left_candidate_stage_ids) <= 50),
  right_candidate_stage_ids uuid[] not null default '{}' check (cardinality(right_candidate_stage_ids) <= 50),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, org_id),
  unique (org_id, left_pipeline_id),
  unique (org_id, right_pipeline_id),
  check (left_pipeline_id <> right_pipeline_id),
  foreign key (left_pipeline_id, org_id) references public.pipelines (id, org_id) on delete cascade,
  foreign key (right_pipeline_id, org_id) references public.pipelines (id, org_id) on delete cascade,
  foreign key (left_matched_stage_id, left_pipeline_id, org_id)
    references public.pipeline_stages (id, pipeline_id, org_id) on delete set null (left_matched_stage_id),
  foreign key (right_matched_stage_id, right_pipeline_id, org_id)
    references public.pipeline_stages (id, pipeline_id, org_id) on delete set null (right_matched_stage_id)
);
alter table public.match_settings enable row level security;

-- A pipeline on the right of one pairing is not on the left of another.
create function private.check_match_settings() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Another org's row is the policy's to refuse, saying nothing of that org's pairings.
  if not private.acts_for(new.org_id) then
    return new;
  end if;
  if exists (select 1 from public.match_settings s
             where s.org_id = new.org_id and s.id <> new.id
               and (s.left_pipeline_id in (new.left_pipeline_id, new.right_pipeline_id)
                    or s.right_pipeline_id in (new.left_pipeline_id, new.right_pipeline_id))) then
    raise exception 'Each pipeline can be matched with one other pipeline only'
      using errcode = '23505', hint = 'pipeline_paired';
  end if;
  return new;
end
$$;
create trigger match_settings_check before insert or update on public.match_settings
  for each row execute function private.check_match_settings();

create table public.match_criteria (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.orgs (id) on delete cascade,
  setting_id uuid not null,
  position integer not null default 0,
  label text not null check (length(btrim(label)) between 1 and 80),
  -- deal.value (in major units), person.state, person.country, custom.<key>
  -- (the deal's custom field) or person.custom.<key>.
  left_field text not null check (left_field ~ '^(deal\.value|person\.(state|country)|(person\.)?custom\.[a-z][a-z0-9_]{0,62})$'),
  left_term text not null check (length(btrim(left_term)) between 1 and 60),
  -- lte / gte: left ≤ / ≥ right; in: left is one of right's values;
  -- overlaps: the two share a value; in_list / not_in_list: left is (not)
  -- one of `values`, which the org keeps here (right_field is then null).
  operator text not null check (operator in ('eq', 'lte', 'gte', 'in', 'overlaps', 'in_list', 'not_in_list')),
  right_field text check (right_field ~ '^(deal\.value|person\.(state|country)|(person\.)?custom\.[a-z][a-z0-9_]{0,62})$'),
  right_term text not null check (length(btrim(right_term)) between 1 and 60),
  "values" text[] not null default '{}' check (cardinality("values") <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((operator in ('in_list', 'not_in_list')) = (right_field is null)),
  foreign key (setting_id, org_id) references public.match_settings (id, org_id) on delete cascade
);
create index match_criteria_setting_idx on public.match_criteria (setting_id, position);
create index match_criteria_org_idx on public.match_criteria (org_id);
alter table public.match_criteria enable row level security;

grant select on public.match_settings, public.match_criteria to authenticated, service_role;
grant insert (org_id, left_pipeline_id, right_pipeline_id, left_label, right_label, left_matched_stage_id,
              right_matched_stage_id, left_candidate_stage_ids, right_candidate_stage_ids)
  on public.match_settings to authenticated;
grant update (left_label, right_label, left_matched_stage_id, right_matched_stage_id, left_candidate_stage_ids,
              right_candidate_stage_ids)
  on public.match_settings to authenticated;
grant delete on public.match_settings to authenticated;
grant insert (org_id, setting_id, position, label, left_field, left_term, operator, right_field, right_term, "values")
  on public.match_criteria to authenticated;
grant update (position, label, left_field, left_term, operator, right_field, right_term, "values")
  on public.match_criteria to authenticated;
grant delete on public.match_criteria to authenticated;

create policy match_settings_select on public.match_settings for select to authenticated
  using (public.is_member_of(org_id));
create policy match_settings_insert on public.match_settings for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy match_settings_update on public.match_settings for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy match_settings_delete on public.match_settings for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create policy match_criteria_select on public.match_criteria for select to authenticated
  using (public.is_member_of(org_id));
create policy match_criteria_insert on public.match_criteria for insert to authenticated
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy match_criteria_update on public.match_criteria for update to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'))
  with check (public.has_org_role(org_id, '{owner,admin}'));
create policy match_criteria_delete on public.match_criteria for delete to authenticated
  using (public.has_org_role(org_id, '{owner,admin}'));

create trigger match_settings_touch before update on public.match_settings
  for each row execute function private.touch_updated_at();
create trigger match_criteria_touch before update on public.match_criteria
  for each row execute function private.touch_updated_at();
create trigger match_settings_audit after insert or update or delete on public.match_settings
  for each row execute function private.audit();
create trigger match_criteria_audit after insert or update or delete on public.match_criteria
  for each row execute function private.audit();

-- Who may propose and advance a pairing's matches: whoever may move deals
-- into both of its matched stages (owners and admins always), so the
-- stages' role and team restrictions are the one place that says it.
create function public.may_match(setting uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce(bool_and(
    s.org_id = private.current_org_id()
    and (private.current_org_role() in ('owner', 'admin')
         or (coalesce((select private.may_use_stage(x.restricted_roles, x.restricted_team_ids)
                       from public.pipeline_stages x where x.id = s.left_matched_stage_id), true)
             and coalesce((select private.may_use_stage(x.restricted_roles, x.restricted_team_ids)
                            from public.pipeline_stages x where x.id = s.right_matched_stage_id), true)))), false)
  from public.match_settings s where s.id = setting
$$;
revoke all on function public.may_match(uuid) from public;
grant execute on function public.may_match(uuid) to authenticated, service_role;
