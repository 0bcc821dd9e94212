-- A record's timeline filtered by kind of activity, as HubSpot's activity
-- filters do: notes, emails, texts, calls, tasks, and changes (stage,
-- status and field edits, and the record's own life: created, archived,
-- merged, converted, routed). Each item falls in exactly one, so the
-- counts add up to the whole timeline. Kinds are grouped by their prefix,
-- so a new kind of call or text (call_missed, sms_...) lands under its
-- channel without a change here.
alter table public.timeline_events add column activity text not null generated always as (
  case
    when kind like 'note%' then 'notes'
    when kind like 'email%' then 'emails'
    when kind like 'sms%' then 'texts'
    when kind like 'call%' then 'calls'
    when kind like 'task%' then 'tasks'
    else 'changes'
  end
) stored;

-- One page of one activity, and the per-activity counts, read from the
-- record's entries in these alone.
create index timeline_person_activity_idx on public.timeline_events (person_id, activity, occurred_at desc, id desc)
  where person_id is not null;
create index timeline_company_activity_idx on public.timeline_events (company_id, activity, occurred_at desc, id desc)
  where company_id is not null;
create index timeline_deal_activity_idx on public.timeline_events (deal_id, activity, occurred_at desc, id desc)
  where deal_id is not null;
create index timeline_lead_activity_idx on public.timeline_events (lead_id, activity, occurred_at desc, id desc)
  where lead_id is not null;
