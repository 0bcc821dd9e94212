-- Click-to-call: a member's Call on a person or lead writes the call as
-- `queued` (calls_insert allows that as themselves), Covey asks Twilio to
-- ring the member's own phone and bridge to the contact, and what Twilio
-- answered is recorded on the row: the CallSid it accepted the call as,
-- from which its status callbacks move the call on, or why it refused.
--
-- The answer is recorded by public.record_call_placement in the transaction
-- of whoever placed the call (the member's server action, or an API key's
-- request), so a refusal never leaves a call `queued` and the REST API can
-- place a call in its one transaction. It is the member's only write to a
-- call's SID or status, and only to their own click-to-call that still
-- waits for Twilio's answer: `queued`, with no SID.

alter table public.calls
  -- Twilio's refusal of a placed call (its error code and message).
  add column error_code integer,
  add column error_message text check (length(error_message) <= 500);

create function public.record_call_placement(call_id uuid, sid text, error_code integer default null, error_message text default null)
returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  if (sid is null) = (error_message is null) then
    raise exception 'Record either the CallSid Twilio accepted the call as, or why it did not' using errcode = '22023';
  end if;
  update public.calls c
     set provider_sid = record_call_placement.sid,
         status = case when record_call_placement.sid is null then 'failed' else c.status end,
         error_code = record_call_placement.error_code,
         error_message = left(record_call_placement.error_message, 500),
         ended_at = case when record_call_placement.sid is null then now() else c.ended_at end
   where c.id = call_id
     and public.is_member_of(c.org_id) and c.user_id = auth.uid()
     and c.source = 'twilio' and c.direction = 'outbound' and c.status = 'queued' and c.provider_sid is null;
  if not found then
    raise exception 'No call of yours waits for Twilio''s answer as %', call_id using errcode = '42501';
  end if;
end
$$;
grant execute on function public.record_call_placement(uuid, text, integer, text) to authenticated;
