-- What a template says about its pipelines' numbering and people, as data:
-- the surrogacy template numbers its cases (00001, ...) and makes each case
-- and each intended parents deal about one person. Applied right after
-- private.apply_org_template has seeded the pipelines (orgs_apply_template,
-- then this trigger: triggers fire by name), by pipeline name, so it holds
-- whichever later migration restates apply_org_template, and a template
-- gains numbered pipelines by a row here, not by code. Agencies signed up
-- before this migration get the same settings.

create table private.template_pipeline_options (
  template text not null,
  pipeline_name text not null,
  numbered boolean not null default false,
  person_required boolean not null default false,
  primary key (template, pipeline_name)
);
-- Read only by the security-definer trigger below, its owner's; no tenant data.
alter table private.template_pipeline_options enable row level security;

insert into private.template_pipeline_options (template, pipeline_name, numbered, person_required)
values ('surrogacy', 'Cases', true, true),
       ('surrogacy', 'Intended parents', false, true);

create function private.apply_template_pipeline_options() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  update public.pipelines p
     set numbered = t.numbered, person_required = t.person_required
    from private.template_pipeline_options t
   where p.org_id = new.id and t.template = new.template and p.name = t.pipeline_name;
  return null;
end
$$;
create trigger orgs_apply_template_pipeline_options after insert on public.orgs
  for each row execute function private.apply_template_pipeline_options();

update public.pipelines p
   set numbered = t.numbered, person_required = t.person_required
  from public.orgs o, private.template_pipeline_options t
 where o.id = p.org_id and t.template = o.template and p.name = t.pipeline_name;
