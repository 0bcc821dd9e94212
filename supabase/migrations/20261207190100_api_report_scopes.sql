-- API keys can read reports (reports:read): ad spend and cost per lead.
-- Reports are computed, never written, so there is no reports:write.
alter table public.api_keys drop constraint api_keys_scopes_check;
alter table public.api_keys add constraint api_keys_scopes_check check (
  cardinality(scopes) > 0
  and scopes <@ array[
    'leads:read', 'leads:write',
    'people:read', 'people:write', 'companies:read', 'companies:write', 'deals:read', 'deals:write',
    'pipelines:read', 'pipelines:write', 'tasks:read', 'tasks:write', 'notes:read', 'notes:write',
    'webhooks:read', 'webhooks:write',
    'reports:read'
  ]::text[]
);
