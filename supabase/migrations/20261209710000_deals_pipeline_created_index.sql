-- A pipeline's list (the cases of an agency, the deals of one sales
-- pipeline) newest first, read from the index in order: without it a page
-- of 50 joined and sorted every deal of the pipeline.
create index deals_pipeline_created_idx on public.deals (org_id, pipeline_id, created_at desc, id desc)
  where archived_at is null;
