-- Ctrl-K finds a numbered deal (a case) by its number, typed as people
-- write it (42, 00042, #42): public.search_records() restated with one more
-- source of deal hits, ranked first, whose match is its number.

create or replace function public.search_records(q text, per_kind int)
returns table (type text, id uuid, title text, detail text, company text, value_minor bigint, currency text,
               match_field text, match_text text)
language plpgsql stable security definer
set search_path = pg_catalog, extensions, public, pg_temp
-- Its one query reads ids by key and ranks texts it has read, whatever the
-- values: a plan made once per session serves every search, where planning
-- it for each call cost more than running it.
set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
declare
  page constant int := least(greatest(per_kind, 1), 50);
  -- Companies whose name matches, to find their people and deals.
  company_page constant int := 50;
  org uuid := private.current_org_id();
  term text := left(lower(btrim(regexp_replace(coalesce(q, ''), '\s+', ' ', 'g'))), 100);
  starts text;
  word_starts text;
  digits text;
  -- A deal number typed as people write it: 42, 00042 or #42.
  typed_number bigint;
  fuzzy boolean;
  -- The query's words, and how many: a field that holds them all matched alone.
  typed text[];
  typed_count int;
  person_ids uuid[];
  company_ids uuid[];
  deal_ids uuid[];
begin
  if org is null or length(term) < 2 then
    return;
  end if;
  starts := replace(replace(replace(term, '\', '\\'), '%', '\%'), '_', '\_') || '%';
  word_starts := '% ' || starts;
  digits := case when term ~ '^[\d\s()+.\-]+$' and length(regexp_replace(term, '\D', '', 'g')) >= 4
    then '%' || regexp_replace(term, '\D', '', 'g') || '%' end;
  typed_number := case when term ~ '^#?\d{1,18}$' then ltrim(term, '#')::bigint end;
  -- Word similarity needs three characters to have a trigram to compare.
  fuzzy := length(term) >= 3;
  typed := array(select distinct x from unnest(private.search_words(term)) x);
  typed_count := cardinality(typed);

  select coalesce(array_agg(c.id) filter (where c.kind = 'person'), '{}'),
         coalesce(array_agg(c.id) filter (where c.kind = 'company'), '{}'),
         coalesce(array_agg(c.id) filter (where c.kind = 'deal'), '{}')
    into person_ids, company_ids, deal_ids
  from public.search_candidates(term) c;

  return query
  with matched_companies as materialized (
    select row_number() over (order by r.rank desc, r.score desc) as n, c.id, r.rank, r.score
    from public.companies c
    cross join lateral (select lower(c.name || ' ' || coalesce(c.domain::text, '')) as text) x
    cross join lateral (
      select case when x.text like starts then 3 when x.text like word_starts then 2 else 0 end as rank,
             case when fuzzy then word_similarity(term, x.text) else 0 end::real as score) r
    where c.id = any (company_ids) and c.org_id = org and c.archived_at is null
    order by r.rank desc, r.score desc
    limit company_page
  ),
  people_hits as (
    select h.id, max(h.rank) as rank, max(h.score) as score
    from (
      (select p.id, r.rank, r.score
       from public.people p
       cross join lateral (select lower(p.full_name || ' ' || coalesce(p.email::text, '') || ' ' || coalesce(p.phone, '')) as text) x
       cross join lateral (
         select case when x.text like starts then 3 when x.text like word_starts then 2
                     when x.text like digits then 2 else 0 end as rank,
                case when fuzzy then word_similarity(term, x.text) else 0 end::real as score) r
       where p.id = any (person_ids) and p.org_id = org and p.archived_at is null
       order by r.rank desc, r.score desc
       limit page)
      union all
      -- The best companies' people, a few each, best company first.
      (select p.id, mc.rank - 1, (mc.score * 0.9)::real
       from matched_companies mc
       cross join lateral (
         select p.id from public.people p
         where p.company_id = mc.id and p.org_id = org and p.archived_at is null
         limit page) p
       order by mc.n
       limit page)
    ) h
    group by h.id
    order by rank desc, score desc
    limit page
  ),
  deal_hits as (
    select h.id, max(h.rank) as rank, max(h.score) as score
    from (
      (select d.id, r.rank, r.score
       from public.deals d
       cross join lateral (select lower(d.name) as text) x
       cross join lateral (
         select case when x.text like starts then 3 when x.text like word_starts then 2 else 0 end as rank,
                case when fuzzy then word_similarity(term, x.text) else 0 end::real as score) r
       where d.id = any (deal_ids) and d.org_id = org and d.archived_at is null
       order by r.rank desc, r.score desc
       limit page)
      union all
      (select d.id, mc.rank - 1, (mc.score * 0.9)::real
       from matched_companies mc
       cross join lateral (
         select d.id from public.deals d
         where d.company_id = mc.id and d.org_id = org and d.archived_at is null
         limit page) d
       order by mc.n
       limit page)
      union all
      -- The deal with the typed number, first (one index lookup).
      (select d.id, 4, 1::real
       from public.deals d
       where typed_number is not null and d.org_id = org and d.number = typed_number and d.archived_at is null)
    ) h
    group by h.id
    order by rank desc, score desc
    limit page
  ),
  -- Leads are read from the org's own (not through the word index): an org
  -- has far fewer leads than people, and a lead must be found from the
  -- moment it arrives.
  lead_hits as (
    select l.id, r.rank, r.score
    from public.leads l
    cross join lateral (select lower(l.full_name || ' ' || coalesce(l.email::text, '') || ' ' || coalesce(l.phone, '') || ' '
                                     || coalesce(l.company_name, '')) as text) x
    cross join lateral (
      select case when x.text like starts then 3 when x.text like word_starts then 2
                  when x.text like digits then 2 when strpos(x.text, term) > 0 then 1 else 0 end as rank,
             case when fuzzy then word_similarity(term, x.text) else 0 end::real as score) r
    where l.org_id = org and l.archived_at is null and (r.rank > 0 or r.score >= 0.5)
    order by r.rank desc, r.score desc
    limit page
  ),
  hits as (
    -- A person found by their own words matched by name when the name holds
    -- every typed word; else by the phone when a phone number was typed, else
    -- by the email (unless the email is the title). One found only through
    -- their company matched by it, and so did such a deal. A company matched
    -- by its domain when its name does not hold every typed word.
    select 'person' as type, p.id, coalesce(nullif(p.full_name, ''), p.email::text) as title,
           p.email::text as detail, co.name as company, null::bigint as value_minor, null::text as currency,
           m.field as match_field,
           case m.field when 'email' then p.email::text when 'phone' then p.phone when 'company' then co.name end as match_text,
           h.rank, h.score
    from people_hits h
    join public.people p on p.id = h.id
    left join public.companies co on co.id = p.company_id and co.org_id = org
    cross join lateral (
      select case
        when not p.id = any (person_ids) then 'company'
        when private.search_words_held(p.full_name, typed) = typed_count then null
        when p.phone like digits then 'phone'
        when p.full_name <> '' and private.search_words_held(p.email::text, typed) > 0 then 'email'
      end as field) m
    union all
    select 'company', c.id, c.name, c.domain::text, null, null, null, m.field, case when m.field is not null then c.domain::text end,
           h.rank, h.score
    from matched_companies h
    join public.companies c on c.id = h.id
    cross join lateral (
      select case
        when private.search_words_held(c.name, typed) < typed_count and private.search_words_held(c.domain::text, typed) > 0
        then 'domain'
      end as field) m
    where h.n <= page
    union all
    select 'deal', d.id, d.name, s.name, co.name, d.value_minor, d.currency::text,
           case when d.number = typed_number then 'number' when not d.id = any (deal_ids) then 'company' end,
           case when d.number = typed_number then lpad(d.number::text, greatest(5, length(d.number::text)), '0')
                when not d.id = any (deal_ids) then co.name end,
           h.rank, h.score
    from deal_hits h
    join public.deals d on d.id = h.id
    join public.pipeline_stages s on s.id = d.stage_id and s.org_id = org
    left join public.companies co on co.id = d.company_id and co.org_id = org
    union all
    -- A lead matched by its name when the name holds every typed word; else
    -- by its phone, email or company, whichever holds the typed words.
    select 'lead', l.id, coalesce(nullif(l.full_name, ''), l.email::text, l.phone), coalesce(l.email::text, l.phone),
           l.company_name, null, null, m.field,
           case m.field when 'email' then l.email::text when 'phone' then l.phone when 'company' then l.company_name end,
           h.rank, h.score
    from lead_hits h
    join public.leads l on l.id = h.id
    cross join lateral (
      select case
        when private.search_words_held(l.full_name, typed) = typed_count then null
        when l.phone like digits then 'phone'
        when l.full_name <> '' and private.search_words_held(l.email::text, typed) > 0 then 'email'
        when private.search_words_held(l.company_name, typed) > 0 then 'company'
      end as field) m
  )
  select h.type, h.id, h.title, h.detail, h.company, h.value_minor, h.currency, h.match_field, h.match_text
  from hits h
  order by h.type, h.rank desc, h.score desc, h.title;
end
$$;
grant execute on function public.search_records(text, int) to authenticated;
