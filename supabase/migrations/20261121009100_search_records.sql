-- Search in one call, ranked past RLS.
--
-- The ranking query used to run as the member, under RLS: every candidate,
-- every company's people and deals and every joined row paid for the policy
-- check, and the policy's private.current_org_id() is a security definer
-- call evaluated per row (tens of microseconds each: more than the row). A
-- typo search spent most of its time there. public.search_records() ranks
-- and reads the candidates for the caller's org alone, the org read once,
-- so each row costs what it costs; as search_candidates() does already.
--
-- The phone is searched by its own trigram index: people_search_idx (the
-- trigrams of name, email and phone together) served only that once search
-- went word by word (under RLS a LIKE cannot use it: see 20261121007100),
-- and was the costliest index to keep up on import.

drop index public.people_search_idx;
create index people_phone_search_idx on public.people using gin (org_id, phone gin_trgm_ops)
  where archived_at is null and phone is not null;

-- As in 20261121007100, with two changes: a typed word that is neither a
-- dictionary word nor starts one (and holds no digit, so it cannot be a code
-- left out of the dictionary) cannot match as typed, so the exact pass is
-- skipped for the look-alikes; and the phone's digits are looked up in the
-- phone alone.
create or replace function public.search_candidates(q text)
returns table (kind text, id uuid)
language plpgsql stable security definer
-- pg_trgm lives in `extensions` on Supabase, in `public` locally.
set search_path = pg_catalog, extensions, public, pg_temp
as $$
declare
  page constant int := 8;
  org uuid := private.current_org_id();
  tag text := left(org::text, 8) || ':';
  term text := left(lower(btrim(regexp_replace(coalesce(q, ''), '\s+', ' ', 'g'))), 100);
  digits text := regexp_replace(term, '\D', '', 'g');
  keyed text[];
  plain text[];
  -- Per keyed word, an array literal of the record words it matches;
  -- `loose` adds the look-alikes (looked up only when needed).
  exact text[] := '{}';
  loose text[];
  -- Some keyed word matches no record word as typed.
  unmatched boolean := false;
  known int;
  w text;
  words_of text;
  k text;
  tbl text;
  words text;
  plain_cond text;
  ids uuid[];
  more uuid[];
  prior text;
begin
  if org is null or length(term) < 2 then
    return;
  end if;
  select coalesce(array_agg(x) filter (where x ~ '[^0-9]' and length(x) >= 2), '{}'),
         coalesce(array_agg(x) filter (where not (x ~ '[^0-9]' and length(x) >= 2)), '{}')
    into keyed, plain
  from (select distinct x from unnest(private.search_words(term)) x) u;
  if cardinality(keyed) = 0 and cardinality(plain) = 0 then
    return;
  end if;

  -- Literal patterns (not parameters) let the planner use the dictionary's
  -- indexes. Words are letters and digits only: nothing to escape for LIKE.
  -- The shortest completions are the likeliest; the word itself, when the
  -- dictionary has it, is the shortest of all.
  foreach w in array keyed loop
    execute format(
      'select (%L || coalesce(array_agg(word) filter (where word <> %L), ''{}''))::text, count(*) from (
         select word from public.search_words where org_id = %L and word like %L
         group by word order by length(word), word limit 17) d',
      array[w], w, org, w || '%') into words_of, known;
    exact := exact || words_of;
    unmatched := unmatched or (known = 0 and w !~ '[0-9]');
  end loop;

  foreach k in array array['company', 'person', 'deal'] loop
    tbl := case k when 'person' then 'public.people' when 'company' then 'public.companies' else 'public.deals' end;
    -- The expressions of the *_words_idx indexes.
    words := case k
      when 'person' then 'private.search_keys(t.org_id, t.full_name || '' '' || coalesce(t.email::text, ''''))'
      when 'company' then 'private.search_keys(t.org_id, t.name || '' '' || coalesce(t.domain::text, ''''))'
      else 'private.search_keys(t.org_id, t.name)' end;
    plain_cond := '';
    foreach w in array plain loop
      plain_cond := plain_cond || case
        when cardinality(keyed) = 0 then format(' and %s @> array[%L]', words, tag || w)
        else format(' and exists (select 1 from unnest(%s) x where x like %L)', words, tag || w || '%') end;
    end loop;

    ids := '{}';
    if not unmatched then
      execute format(
        'select coalesce(array_agg(id), ''{}'') from (
           select t.id from %s t where t.org_id = %L and t.archived_at is null %s %s limit 100) c',
        tbl, org, plain_cond,
        (select string_agg(format(' and %s && %L::text[]', words, array(select tag || x from unnest(g::text[]) x)), '') from unnest(exact) g)) into ids;
    end if;

    if cardinality(ids) < page and cardinality(keyed) > 0 then
      if loose is null then
        loose := '{}';
        for i in 1 .. cardinality(keyed) loop
          w := keyed[i];
          words_of := exact[i];
          if length(w) >= 3 then
            -- Look-alikes at trigram similarity 0.2, set around the lookup
            -- rather than by a SET clause: PostgreSQL refuses a non-superuser
            -- a SET clause on an extension's parameter unless the extension's
            -- library happens to be loaded in the session creating the function.
            prior := current_setting('pg_trgm.similarity_threshold', true);
            perform set_config('pg_trgm.similarity_threshold', '0.2', true);
            execute format(
              'select (%L::text[] || coalesce(array_agg(word), ''{}''))::text from (
                 select word from public.search_words where org_id = %L and word %% %L and word not like %L
                 group by word order by similarity(word, %L) desc, word limit 16) d',
              exact[i], org, w, w || '%', w) into words_of;
            perform set_config('pg_trgm.similarity_threshold', coalesce(prior, '0.3'), true);
          end if;
          loose := loose || words_of;
        end loop;
      end if;
      if loose is distinct from exact or unmatched then
        execute format(
          'select coalesce(array_agg(id), ''{}'') from (
             select t.id from %s t where t.org_id = %L and t.archived_at is null %s %s limit 200) c',
          tbl, org, plain_cond,
          (select string_agg(format(' and %s && %L::text[]', words, array(select tag || x from unnest(g::text[]) x)), '') from unnest(loose) g)) into more;
        ids := ids || more;
      end if;
    end if;

    -- A phone number typed any way: its digits inside the E.164 number
    -- (people_phone_search_idx serves this LIKE).
    if k = 'person' and term ~ '^[\d\s()+.\-]+$' and length(digits) >= 4 then
      execute format(
        'select coalesce(array_agg(id), ''{}'') from (
           select t.id from public.people t where t.org_id = %L and t.archived_at is null and t.phone like %L
           limit 100) c',
        org, '%' || digits || '%') into more;
      ids := ids || more;
    end if;
    return query select distinct k, x from unnest(ids) x;
  end loop;
end
$$;

-- The caller's best matches per kind (at most `per_kind` each), ready to show:
-- candidates from search_candidates(), ranked by how the record's text
-- starts (3: with the query, 2: a later word does, or the phone holds the
-- typed digits, 0: a look-alike), then by word similarity; people and deals
-- of the best matching companies follow one rank below. The ranked texts are
-- those of modules/crm/search/queries.ts's documentation: the name first.
create function public.search_records(q text, per_kind int)
returns table (type text, id uuid, title text, detail text, company text, value_minor bigint, currency text)
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
  fuzzy boolean;
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
  -- Word similarity needs three characters to have a trigram to compare.
  fuzzy := length(term) >= 3;

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
    ) h
    group by h.id
    order by rank desc, score desc
    limit page
  ),
  hits as (
    select 'person' as type, p.id, coalesce(nullif(p.full_name, ''), p.email::text) as title,
           p.email::text as detail, co.name as company, null::bigint as value_minor, null::text as currency,
           h.rank, h.score
    from people_hits h
    join public.people p on p.id = h.id
    left join public.companies co on co.id = p.company_id and co.org_id = org
    union all
    select 'company', c.id, c.name, c.domain::text, null, null, null, h.rank, h.score
    from matched_companies h
    join public.companies c on c.id = h.id
    where h.n <= page
    union all
    select 'deal', d.id, d.name, s.name, co.name, d.value_minor, d.currency::text, h.rank, h.score
    from deal_hits h
    join public.deals d on d.id = h.id
    join public.pipeline_stages s on s.id = d.stage_id and s.org_id = org
    left join public.companies co on co.id = d.company_id and co.org_id = org
  )
  select h.type, h.id, h.title, h.detail, h.company, h.value_minor, h.currency
  from hits h
  order by h.type, h.rank desc, h.score desc, h.title;
end
$$;
grant execute on function public.search_records(text, int) to authenticated;
