-- A call.* event carries the call's whole row, as the events of people,
-- deals and the other records do: the webhook dispatcher and the REST API
-- both turn it into the call integrators see with one function,
-- represent('call', …) in modules/api/core/representation.ts, so a
-- webhook's `data` is exactly `GET /api/v1/calls/{id}`, and a column added
-- to calls reaches neither until that function names it.
create or replace function private.call_event_data(c public.calls) returns jsonb
language sql stable set search_path = '' as $$
  select to_jsonb(c)
$$;
