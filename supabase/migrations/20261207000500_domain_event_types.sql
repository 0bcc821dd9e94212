-- Every type the database writes to domain_events: the exact types a webhook
-- endpoint can subscribe to are these (modules/webhooks/schema.ts lists the
-- same, and its tests check both that the lists agree and that each type
-- fires). The constraint holds every writer to the list, so a new event type
-- is added here first.
create function private.domain_event_types() returns text[]
language sql immutable parallel safe
return array[
  'person.created', 'person.updated', 'person.archived', 'person.restored', 'person.merged', 'person.deleted',
  'company.created', 'company.updated', 'company.archived', 'company.restored', 'company.merged', 'company.deleted',
  'deal.created', 'deal.updated', 'deal.moved', 'deal.won', 'deal.lost', 'deal.archived', 'deal.restored',
  'deal.deleted',
  'task.created', 'task.updated', 'task.completed', 'task.archived', 'task.restored', 'task.deleted',
  'note.created', 'note.updated', 'note.deleted',
  'integration.webhook_disabled',
  -- An endpoint's own test event, sent to that endpoint only.
  'webhook.test'
]::text[];

alter table public.domain_events
  add constraint domain_events_type_listed check (type = any (private.domain_event_types()));
