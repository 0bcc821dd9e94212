-- Leads that arrive as deals: an org may say, per lead source, that every
-- lead arriving by it becomes a deal on one pipeline at one stage at once
-- (a surrogacy agency's Meta and web-form leads are cases on its Cases
-- pipeline from the first minute; a sales team may do the same with its
-- web form). It is data on the source, as the sources themselves are.
--
-- The conversion runs in the transaction that inserts the lead, after the
-- routing rules have given it an owner (triggers fire by name: this one is
-- named after leads_unowned_route), so every path a lead arrives by (the
-- Meta job, a web form, the API, an import) converts it, and a provider's
-- repeated delivery (ON CONFLICT DO NOTHING) inserts nothing and converts
-- nothing: one lead, one case.

alter table public.lead_sources
  add column deal_pipeline_id uuid,
  add column deal_stage_id uuid,
  add constraint lead_sources_deal_target_check check ((deal_pipeline_id is null) = (deal_stage_id is null)),
  add constraint lead_sources_deal_stage_fkey foreign key (deal_stage_id, deal_pipeline_id, org_id)
    references public.pipeline_stages (id, pipeline_id, org_id) on delete set null (deal_stage_id, deal_pipeline_id);
create index lead_sources_deal_stage_idx on public.lead_sources (deal_stage_id) where deal_stage_id is not null;

-- The update policy already asks for an owner or admin.
grant update (deal_pipeline_id, deal_stage_id) on public.lead_sources to authenticated;

-- The person the lead is (its linked one, else the active person with its
-- email, then its phone, else a new one), and the open deal of that person
-- on the source's pipeline or a new one at the source's stage, named after
-- the person. A second lead from someone whose case is still open becomes
-- activity on that case rather than a second case: the lead's conversion
-- item shows on the deal's timeline. Acts as the system, as routing does:
-- the org's configuration moves the lead, not the member or key that sent
-- it, so a stage restricted to a team still takes it.
create function private.lead_to_source_deal(lead uuid) returns uuid
language plpgsql security definer set search_path = '' as $$
declare
  l public.leads;
  target record;
  person uuid;
  person_name text;
  company uuid;
  deal uuid;
begin
  select * into l from public.leads where id = lead for update;
  if not found or l.converted_at is not null or l.deal_id is not null or l.archived_at is not null then
    return null;
  end if;
  select s.deal_pipeline_id, s.deal_stage_id, s.label into target
  from public.lead_sources s
  where s.org_id = l.org_id and s.key = l.source and s.deal_stage_id is not null;
  if not found then
    return null;
  end if;

  person := coalesce(
    l.person_id,
    (select p.id from public.people p
     where p.org_id = l.org_id and p.archived_at is null and l.email is not null
       and (p.email operator(extensions.=) l.email or l.email operator(extensions.=) any (p.additional_emails))
     order by (p.email operator(extensions.=) l.email) desc, p.created_at limit 1),
    (select p.id from public.people p
     where p.org_id = l.org_id and p.archived_at is null and l.phone is not null
       and (p.phone = l.phone or l.phone = any (p.additional_phones))
     order by (p.phone = l.phone) desc, p.created_at limit 1));
  if person is null then
    -- A person needs a name or an email: a lead with only a phone stays a lead for a member to convert.
    if btrim(coalesce(l.first_name, '') || coalesce(l.last_name, '')) = '' and l.email is null then
      return null;
    end if;
    insert into public.people (org_id, first_name, last_name, email, phone, state, source, owner_id)
    values (l.org_id, l.first_name, l.last_name, l.email, l.phone, l.state, left(target.label, 100), l.owner_id)
    returning id into person;
  end if;
  select p.company_id, nullif(p.full_name, '') into company, person_name from public.people p where p.id = person;
  if company is null and l.company_name is not null then
    select c.id into company from public.companies c
    where c.org_id = l.org_id and c.archived_at is null and lower(c.name) = lower(l.company_name)
    order by c.created_at limit 1;
  end if;

  select d.id into deal from public.deals d
  where d.org_id = l.org_id and d.pipeline_id = target.deal_pipeline_id and d.person_id = person
    and d.archived_at is null and d.status = 'open'
  order by d.created_at limit 1;
  if deal is null then
    insert into public.deals (org_id, name, pipeline_id, stage_id, position, owner_id, person_id, company_id)
    values (l.org_id, left(coalesce(person_name, l.email::text, l.phone), 200), target.deal_pipeline_id, target.deal_stage_id,
            coalesce((select max(d.position) from public.deals d where d.stage_id = target.deal_stage_id), 0) + 1024,
            l.owner_id, person, company)
    returning id into deal;
  end if;

  update public.leads set converted_at = now(), person_id = person, company_id = coalesce(l.company_id, company), deal_id = deal
  where id = lead;
  return deal;
end
$$;
revoke all on function private.lead_to_source_deal(uuid) from public;

-- A conversion that fails (a value the people table refuses, a concurrent
-- lead taking the same new email first) never costs the lead: it stays a
-- lead, with a timeline item saying so, for a member to convert.
create function private.convert_arriving_lead() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  claims text := current_setting('request.jwt.claims', true);
begin
  perform set_config('request.jwt.claims', '', true);
  begin
    perform private.lead_to_source_deal(new.id);
  exception when others then
    raise warning 'converting lead % failed: %', new.id, sqlerrm;
    insert into public.timeline_events (org_id, kind, actor_type, subject_type, subject_id, lead_id, data)
    values (new.org_id, 'deal_conversion_failed', 'system', 'lead', new.id, new.id, jsonb_build_object('error', left(sqlerrm, 300)));
  end;
  perform set_config('request.jwt.claims', coalesce(claims, ''), true);
  return null;
end
$$;
revoke all on function private.convert_arriving_lead() from public;

create trigger leads_with_source_deal after insert on public.leads
  for each row when (new.archived_at is null and new.converted_at is null and new.deal_id is null)
  execute function private.convert_arriving_lead();
