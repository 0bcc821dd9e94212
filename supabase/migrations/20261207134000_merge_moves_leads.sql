-- Merging two people (or companies) moves their leads to the survivor, as it
-- moves their notes, tasks, deals and timeline: a lead linked to the merged
-- record would otherwise lose its person when that record is deleted.
create or replace function private.merge_timeline(org uuid, obj text, survivor uuid, merged uuid) returns void
language sql set search_path = '' as $$
  delete from public.timeline_events
   where org_id = org and subject_type = obj and subject_id = merged and kind = 'created';
  update public.timeline_events set person_id = survivor where obj = 'person' and org_id = org and person_id = merged;
  update public.timeline_events set company_id = survivor where obj = 'company' and org_id = org and company_id = merged;
  update public.leads set person_id = survivor where obj = 'person' and org_id = org and person_id = merged;
  update public.leads set company_id = survivor where obj = 'company' and org_id = org and company_id = merged;
$$;
