-- API keys can be scoped to text messages (messages:read, messages:write):
-- GET /api/v1/messages and sending through POST /api/v1/messages.
alter table public.api_keys drop constraint api_keys_scopes_check;
alter table public.api_keys add constraint api_keys_scopes_check check (
  cardinality(scopes) > 0
  and scopes <@ array[
    'leads:read', 'leads:write',
    'people:read', 'people:write', 'companies:read', 'companies:write', 'deals:read', 'deals:write',
    'pipelines:read', 'pipelines:write', 'tasks:read', 'tasks:write', 'notes:read', 'notes:write',
    'messages:read', 'messages:write',
    'webhooks:read', 'webhooks:write',
    'reports:read'
  ]::text[]
);
