-- "Last contacted" follows real communications, in the database, so every
-- path that writes a text, an email or a call (the app, the API, Twilio's
-- and Gmail's webhooks, sync, imports of old mail) moves it the same way.
--
-- A person, their company and a lead were contacted when (modules/crm/timeline/README.md):
--   a text       went out and Twilio reports it sent or delivered, or came in;
--   an email     a member's (not the system's invitations and sign-in links)
--                was sent through Gmail or received in a member's mailbox;
--                queued and failed ones are not contact;
--   a call       connected (completed, duration above zero, either way), or
--                a member logged it.
-- The time is the communication's own (sent, received, answered, or when a
-- logged call started), and last_contacted_at only ever moves forward: an
-- old email that sync imports today does not lower it. Who was contacted:
-- the row's person, lead and deal; a lead's or deal's person, and the
-- person's (else the lead's or deal's) company.
--
-- Set-based: each statement that writes texts, emails or calls updates
-- people, companies and leads once, from its transition tables, whatever
-- the number of rows (a sync page, a backfill).

alter table public.leads add column last_contacted_at timestamptz;
create index leads_list_contacted_idx on public.leads (org_id, last_contacted_at desc nulls last, id desc)
  where archived_at is null;

-- Set only by private.mark_contacted around its own updates, so the
-- timelines and outboxes of those records skip a change that is already
-- on the timeline as the text, email or call itself.
create function private.contact_touch() returns boolean
language sql stable set search_path = '' as $$
  select coalesce(current_setting('covey.contact_touch', true), '') = 'on'
$$;
revoke all on function private.contact_touch() from public;

-- Parallel arrays: the nth contact is (person_ids[n], lead_ids[n], deal_ids[n]) at ats[n].
create function private.mark_contacted(person_ids uuid[], lead_ids uuid[], deal_ids uuid[], ats timestamptz[])
returns void
language plpgsql security definer set search_path = '' as $$
begin
  if coalesce(cardinality(ats), 0) = 0 then
    return;
  end if;
  perform set_config('covey.contact_touch', 'on', true);
  with c as (
    select u.person_id, u.lead_id, u.deal_id, u.at
    from unnest(person_ids, lead_ids, deal_ids, ats) u (person_id, lead_id, deal_id, at)
    where u.at is not null
  ), r as materialized (
    select coalesce(c.person_id, l.person_id, d.person_id) as person_id, c.lead_id,
           coalesce(p.company_id, l.company_id, d.company_id) as company_id, c.at
    from c
    left join public.leads l on l.id = c.lead_id
    left join public.deals d on d.id = c.deal_id
    left join public.people p on p.id = coalesce(c.person_id, l.person_id, d.person_id)
  ), people_touched as (
    update public.people t set last_contacted_at = x.at
    from (select person_id, max(at) as at from r where person_id is not null group by person_id) x
    where t.id = x.person_id and (t.last_contacted_at is null or t.last_contacted_at < x.at)
  ), companies_touched as (
    update public.companies t set last_contacted_at = x.at
    from (select company_id, max(at) as at from r where company_id is not null group by company_id) x
    where t.id = x.company_id and (t.last_contacted_at is null or t.last_contacted_at < x.at)
  )
  update public.leads t set last_contacted_at = x.at
  from (select lead_id, max(at) as at from r where lead_id is not null group by lead_id) x
  where t.id = x.lead_id and (t.last_contacted_at is null or t.last_contacted_at < x.at);
  perform set_config('covey.contact_touch', '', true);
end
$$;
revoke all on function private.mark_contacted(uuid[], uuid[], uuid[], timestamptz[]) from public;

-- What counts as contact, and when, per table: one expression each, shared
-- by the triggers and the backfill below.
create function private.sms_contacted_at(m public.sms_messages) returns timestamptz
language sql immutable set search_path = '' as $$
  select case
    when m.direction = 'inbound' then m.created_at
    when m.status in ('sent', 'delivered') then coalesce(m.sent_at, m.created_at)
  end
$$;
create function private.email_contacted_at(e public.emails) returns timestamptz
language sql immutable set search_path = '' as $$
  select case when e.tag is null and e.status in ('sent', 'received')
              then coalesce(e.received_at, e.sent_at, e.created_at) end
$$;
create function private.call_contacted_at(c public.calls) returns timestamptz
language sql immutable set search_path = '' as $$
  select case
    when c.source = 'manual' then c.started_at
    when c.status = 'completed' and c.duration_seconds > 0 then coalesce(c.answered_at, c.started_at)
  end
$$;
revoke all on function private.sms_contacted_at(public.sms_messages) from public;
revoke all on function private.email_contacted_at(public.emails) from public;
revoke all on function private.call_contacted_at(public.calls) from public;

-- Rows a statement made contact with: inserted ones that count, updated
-- ones that count now and did not before (a text's delivery moving on).
create function private.sms_contacted() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  p uuid[];
  l uuid[];
  d uuid[];
  at timestamptz[];
begin
  if tg_op = 'INSERT' then
    select array_agg(x.person_id), array_agg(x.lead_id), array_agg(x.deal_id), array_agg(x.at) into p, l, d, at
    from (select n.person_id, n.lead_id, n.deal_id as deal_id, private.sms_contacted_at(n) as at from new_rows n) x
    where x.at is not null;
  else
    select array_agg(x.person_id), array_agg(x.lead_id), array_agg(x.deal_id), array_agg(x.at) into p, l, d, at
    from (select n.person_id, n.lead_id, n.deal_id as deal_id, private.sms_contacted_at(n) as at
          from new_rows n join old_rows o on o.id = n.id
          where private.sms_contacted_at(o) is null) x
    where x.at is not null;
  end if;
  perform private.mark_contacted(p, l, d, at);
  return null;
end
$$;
revoke all on function private.sms_contacted() from public;

create function private.email_contacted() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  p uuid[];
  l uuid[];
  d uuid[];
  at timestamptz[];
begin
  if tg_op = 'INSERT' then
    select array_agg(x.person_id), array_agg(x.lead_id), array_agg(x.deal_id), array_agg(x.at) into p, l, d, at
    from (select n.person_id, n.lead_id, n.deal_id as deal_id, private.email_contacted_at(n) as at from new_rows n) x
    where x.at is not null;
  else
    select array_agg(x.person_id), array_agg(x.lead_id), array_agg(x.deal_id), array_agg(x.at) into p, l, d, at
    from (select n.person_id, n.lead_id, n.deal_id as deal_id, private.email_contacted_at(n) as at
          from new_rows n join old_rows o on o.id = n.id
          where private.email_contacted_at(o) is null) x
    where x.at is not null;
  end if;
  perform private.mark_contacted(p, l, d, at);
  return null;
end
$$;
revoke all on function private.email_contacted() from public;

create function private.call_contacted() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  p uuid[];
  l uuid[];
  d uuid[];
  at timestamptz[];
begin
  if tg_op = 'INSERT' then
    select array_agg(x.person_id), array_agg(x.lead_id), array_agg(x.deal_id), array_agg(x.at) into p, l, d, at
    from (select n.person_id, n.lead_id, null::uuid as deal_id, private.call_contacted_at(n) as at from new_rows n) x
    where x.at is not null;
  else
    select array_agg(x.person_id), array_agg(x.lead_id), array_agg(x.deal_id), array_agg(x.at) into p, l, d, at
    from (select n.person_id, n.lead_id, null::uuid as deal_id, private.call_contacted_at(n) as at
          from new_rows n join old_rows o on o.id = n.id
          where private.call_contacted_at(o) is null) x
    where x.at is not null;
  end if;
  perform private.mark_contacted(p, l, d, at);
  return null;
end
$$;
revoke all on function private.call_contacted() from public;

-- Transition tables allow one event per trigger: an insert and an update trigger each.
create trigger sms_messages_contacted_insert after insert on public.sms_messages
  referencing new table as new_rows for each statement execute function private.sms_contacted();
create trigger sms_messages_contacted_update after update on public.sms_messages
  referencing old table as old_rows new table as new_rows for each statement execute function private.sms_contacted();
create trigger emails_contacted_insert after insert on public.emails
  referencing new table as new_rows for each statement execute function private.email_contacted();
create trigger emails_contacted_update after update on public.emails
  referencing old table as old_rows new table as new_rows for each statement execute function private.email_contacted();
create trigger calls_contacted_insert after insert on public.calls
  referencing new table as new_rows for each statement execute function private.call_contacted();
create trigger calls_contacted_update after update on public.calls
  referencing old table as old_rows new table as new_rows for each statement execute function private.call_contacted();

-- The touch is not news: people's and companies' timelines and outboxes
-- drop last_contacted_at when private.mark_contacted changed it (a member
-- setting it by hand is still an edit like any other); audit rows keep it.
create or replace function private.record_updated() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  obj text := tg_argv[0];
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
  reason text := private.change_reason();
  olds jsonb[];
  news jsonb[];
  touch boolean := private.contact_touch();
begin
  select array_agg(to_jsonb(o)), array_agg(to_jsonb(n)) into olds, news
  from old_rows o join new_rows n on n.id = o.id;
  if olds is null then
    return null;
  end if;
  with r as materialized (
    select u.ord, u.org_id, u.id, u.o, u.n,
           case when touch then u.changes - 'last_contacted_at' else u.changes end as changes
    from private.updated_rows(olds, news) u
  ), audited as (
    insert into public.audit_log (org_id, actor_id, actor_type, table_name, record_id, action, changes)
    select r.org_id, actor, kind_of_actor, tg_table_name, r.id::text, 'update', d.diff
    from r
    cross join lateral (
      select jsonb_object_agg(e.key, jsonb_build_array(r.o -> e.key, e.value)) as diff
      from jsonb_each(private.audit_redact(r.n)) e
      where e.value is distinct from r.o -> e.key
    ) d
    where d.diff is not null
  ), emitted as (
    -- Per record: .archived or .restored, deal.moved, deal.won or deal.lost,
    -- .updated with the remaining changes (card reordering is not news to integrators).
    insert into public.domain_events (org_id, type, object_type, object_id, actor_id, actor_type, data, changes)
    select r.org_id, k.type, obj, r.id, actor, kind_of_actor, r.n, k.changes
    from r
    cross join lateral (
      select 1 as step, obj || case when r.n ->> 'archived_at' is null then '.restored' else '.archived' end as type,
             jsonb_build_object('archived_at', r.changes -> 'archived_at') as changes
      where r.changes ? 'archived_at'
      union all
      select 2, 'deal.moved',
             jsonb_build_object('stage_id', r.changes -> 'stage_id', 'pipeline_id', r.changes -> 'pipeline_id',
                                'position', r.changes -> 'position', 'status', r.changes -> 'status')
             || jsonb_build_object('reason', reason)
      where obj = 'deal' and r.changes ? 'stage_id'
      union all
      select 3, 'deal.' || (r.n ->> 'status'), jsonb_build_object('status', r.changes -> 'status')
      where obj = 'deal' and r.changes ? 'status' and r.n ->> 'status' in ('won', 'lost')
      union all
      select 4, obj || '.updated', rest.changes
      from (
        select r.changes - 'archived_at'
               - case when obj = 'deal' and r.changes ? 'stage_id'
                      then array['stage_id', 'pipeline_id', 'position', 'stage_entered_at'] else '{}'::text[] end
               - case when obj = 'deal' and r.changes ? 'status'
                      then array['status', 'closed_at', 'lost_reason'] else '{}'::text[] end
               - 'position' as changes
      ) rest
      where rest.changes <> '{}'
    ) k
    order by r.ord, k.step
  )
  -- Per record: archived or restored, stage_changed or status_changed
  -- (deals), updated. Items other than `updated` also show on the linked
  -- records' timelines: a deal's on its person and company (or the person's
  -- company), a person's on their company.
  insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                      person_id, company_id, deal_id, data)
  select r.org_id, k.kind, actor, kind_of_actor, obj, r.id,
         case when k.linked then l.person_id when obj = 'person' then r.id end,
         case when k.linked then l.company_id when obj = 'company' then r.id end,
         case when obj = 'deal' then r.id end,
         k.data
  from r
  cross join lateral (
    select case obj when 'person' then r.id when 'deal' then (r.n ->> 'person_id')::uuid end as person_id,
           case obj
             when 'company' then r.id
             when 'person' then (r.n ->> 'company_id')::uuid
             else coalesce((r.n ->> 'company_id')::uuid,
                           (select p.company_id from public.people p where p.id = (r.n ->> 'person_id')::uuid))
           end as company_id
  ) l
  cross join lateral (
    select 1 as step, case when r.n ->> 'archived_at' is null then 'restored' else 'archived' end as kind,
           '{}'::jsonb as data, true as linked
    where (r.o ->> 'archived_at') is distinct from (r.n ->> 'archived_at')
    union all
    select 2, 'stage_changed',
           jsonb_build_object(
             'from_stage_id', r.o ->> 'stage_id', 'to_stage_id', r.n ->> 'stage_id',
             'from_stage', (select s.name from public.pipeline_stages s where s.id = (r.o ->> 'stage_id')::uuid),
             'to_stage', (select s.name from public.pipeline_stages s where s.id = (r.n ->> 'stage_id')::uuid),
             'reason', reason),
           true
    where obj = 'deal' and (r.o ->> 'stage_id') is distinct from (r.n ->> 'stage_id')
      and (r.o ->> 'status') is not distinct from (r.n ->> 'status')
    union all
    select 3, 'status_changed',
           jsonb_build_object('from', r.o ->> 'status', 'to', r.n ->> 'status', 'reason', reason)
           || case when (r.o ->> 'stage_id') is distinct from (r.n ->> 'stage_id') then jsonb_build_object(
                'from_stage_id', r.o ->> 'stage_id', 'to_stage_id', r.n ->> 'stage_id',
                'from_stage', (select s.name from public.pipeline_stages s where s.id = (r.o ->> 'stage_id')::uuid),
                'to_stage', (select s.name from public.pipeline_stages s where s.id = (r.n ->> 'stage_id')::uuid))
              else '{}'::jsonb end,
           true
    where obj = 'deal' and (r.o ->> 'status') is distinct from (r.n ->> 'status')
    union all
    select 4, 'updated', jsonb_build_object('changes', u.changes), false
    from (select r.changes - array['archived_at', 'position', 'stage_id', 'status', 'stage_entered_at', 'closed_at',
                                   'full_name', 'lost_reason'] as changes) u
    where u.changes <> '{}'
  ) k
  order by r.ord, k.step;
  return null;
end
$$;

-- The same for leads.
create or replace function private.lead_changed() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  o jsonb;
  n jsonb;
  diff jsonb;
  rest jsonb;
  actor uuid := auth.uid();
  kind_of_actor text := private.actor_type();
begin
  if tg_op = 'INSERT' then
    perform private.emit(new.org_id, 'lead.created', 'lead', new.id, to_jsonb(new), '{}');
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id, data)
    values (new.org_id, 'created', actor, kind_of_actor, 'lead', new.id, new.id, jsonb_build_object('source', new.source));
    return null;
  elsif tg_op = 'DELETE' then
    -- A deleted org takes its events with it.
    if exists (select 1 from public.orgs where id = old.org_id) then
      perform private.emit(old.org_id, 'lead.deleted', 'lead', old.id, to_jsonb(old), '{}');
    end if;
    return null;
  end if;
  o := to_jsonb(old);
  n := to_jsonb(new);
  -- A provider delivering the same lead again rewrites `raw`: not news.
  diff := private.row_diff(o, n, array['updated_at', 'status_changed_at', 'full_name', 'raw', 'converted_by']
                                  || case when private.contact_touch() then array['last_contacted_at'] else '{}'::text[] end);
  if diff = '{}' then
    return null;
  end if;
  rest := diff;
  if diff ? 'archived_at' then
    perform private.emit(new.org_id, case when new.archived_at is null then 'lead.restored' else 'lead.archived' end,
                         'lead', new.id, n, jsonb_build_object('archived_at', diff -> 'archived_at'));
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id)
    values (new.org_id, case when new.archived_at is null then 'restored' else 'archived' end,
            actor, kind_of_actor, 'lead', new.id, new.id);
    rest := rest - 'archived_at';
  end if;
  if diff ? 'status' then
    perform private.emit(new.org_id, 'lead.status_changed', 'lead', new.id, n,
                         jsonb_build_object('status', diff -> 'status'));
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id, data)
    values (new.org_id, 'status_changed', actor, kind_of_actor, 'lead', new.id, new.id,
            jsonb_build_object('from', old.status, 'to', new.status,
                               'from_label', private.lead_status_label(new.org_id, old.status),
                               'to_label', private.lead_status_label(new.org_id, new.status)));
    rest := rest - 'status';
  end if;
  if diff ? 'converted_at' then
    perform private.emit(new.org_id, 'lead.converted', 'lead', new.id, n,
                         jsonb_build_object('converted_at', diff -> 'converted_at', 'person_id', diff -> 'person_id',
                                            'company_id', diff -> 'company_id', 'deal_id', diff -> 'deal_id'));
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id,
                                        lead_id, person_id, company_id, deal_id, data)
    values (new.org_id, 'converted', actor, kind_of_actor, 'lead', new.id,
            new.id, new.person_id, new.company_id, new.deal_id,
            jsonb_build_object('lead_name', coalesce(nullif(new.full_name, ''), new.email::text, new.phone),
                               'source', new.source));
    rest := rest - array['converted_at', 'person_id', 'company_id', 'deal_id'];
  end if;
  if rest <> '{}' then
    perform private.emit(new.org_id, 'lead.updated', 'lead', new.id, n, rest);
    insert into public.timeline_events (org_id, kind, actor_id, actor_type, subject_type, subject_id, lead_id, data)
    values (new.org_id, 'updated', actor, kind_of_actor, 'lead', new.id, new.id, jsonb_build_object('changes', rest));
  end if;
  return null;
end
$$;

-- Existing texts, emails and calls: one pass, as the triggers would have done.
select private.mark_contacted(array_agg(x.person_id), array_agg(x.lead_id), array_agg(x.deal_id), array_agg(x.at))
from (
  select m.person_id, m.lead_id, m.deal_id, private.sms_contacted_at(m) as at from public.sms_messages m
  union all
  select e.person_id, e.lead_id, e.deal_id, private.email_contacted_at(e) from public.emails e
  union all
  select c.person_id, c.lead_id, null, private.call_contacted_at(c) from public.calls c
) x
where x.at is not null;
