-- Search: the command palette's typo-tolerant search over people, companies
-- and deals, and the lists' quick search.
--
-- A trigram index on companies and deals over the text a user types to find
-- a record. btree_gin puts org_id in the same GIN index, so the bitmap scan
-- intersects the caller's org (RLS: org_id = current_org_id()) with the
-- trigram matches instead of rechecking every org's matches. Partial on
-- active records: the palette never shows archived ones.
--
-- The indexed expressions are repeated verbatim in modules/crm/search/queries.ts
-- (the planner only uses an expression index for the identical expression).
-- pg_trgm and btree_gin live in schema `extensions`: the functions below put
-- it on their search_path, and the indexes name pg_trgm's operator class there.

create index companies_search_idx on public.companies using gin
  (org_id, (lower(name || ' ' || coalesce(domain::text, ''))) extensions.gin_trgm_ops)
  where archived_at is null;

create index deals_search_idx on public.deals using gin
  (org_id, (lower(name)) extensions.gin_trgm_ops)
  where archived_at is null;

-- Typo-tolerant search that costs what the matches cost, not what the org holds.
--
-- Under RLS a trigram condition cannot drive an index: pg_trgm's operators
-- (and LIKE, and array overlap) are not leakproof, so the planner must apply
-- the policy (org_id = current_org_id()) first and then test every active
-- record of the org. With 100k people that is a second per keystroke.
--
-- Instead, search goes word by word:
--   1. every org keeps a dictionary of the words its people, companies and
--      deals are found by (public.search_words, filled by triggers);
--   2. each typed word is matched against that small dictionary: equal,
--      prefix, or trigram look-alike;
--   3. records are found by exact words through a GIN index on their word
--      arrays, every typed word matching one of its dictionary words.
-- public.search_candidates() runs steps 2 and 3 past RLS (so the indexes
-- apply), for the caller's org only, and returns ids; the app ranks and reads
-- the records under RLS (modules/crm/search/queries.ts).

-- The words of a text: lower-cased runs of letters and runs of digits
-- ("jsmith2" is "jsmith" and "2", so a part of an address is found). Record
-- indexes and the dictionary both use this, so they agree on what a word is.
-- SQL-standard bodies: bound at creation (no search_path at run time) and
-- inlined into index expressions, which matters on a 100k-row import. Three
-- plain passes: a lookahead split in one pass costs twice as much there.
create function private.search_words(t text) returns text[]
language sql immutable parallel safe
return string_to_array(btrim(regexp_replace(regexp_replace(
  regexp_replace(lower(t), '[^[:alnum:]]+', ' ', 'g'),
  '([0-9])([[:alpha:]])', '\1 \2', 'g'), '([[:alpha:]])([0-9])', '\1 \2', 'g')), ' ');

-- The same words as GIN keys tagged with the org ("be32f4c5:john"): a key's
-- posting list then holds one org's records, not every org's Johns (an
-- org_id column in the index would still intersect with all of the org's
-- rows). Eight hex digits: two orgs sharing a tag only share candidates,
-- which the org_id condition beside every use drops.
create function private.search_keys(org uuid, t text) returns text[]
language sql immutable parallel safe
return string_to_array(
  left(org::text, 8) || ':' || replace(btrim(regexp_replace(regexp_replace(
    regexp_replace(lower(t), '[^[:alnum:]]+', ' ', 'g'),
    '([0-9])([[:alpha:]])', '\1 \2', 'g'), '([[:alpha:]])([0-9])', '\1 \2', 'g')), ' ', ' ' || left(org::text, 8) || ':'),
  ' ');

-- Index expressions are inlined as the role that first plans a query on the
-- table in a session; a role that may not execute these functions gets the
-- un-inlined form cached, which then matches no inlined query and the index
-- goes unused for the rest of the session. They read nothing: anyone may.
grant execute on function private.search_words(text), private.search_keys(uuid, text) to public;

-- The searched words of each object (the phone is searched by its digits,
-- through people_search_idx). Repeated verbatim in public.search_candidates().
create index people_words_idx on public.people using gin
  (private.search_keys(org_id, full_name || ' ' || coalesce(email::text, '')))
  where archived_at is null;
create index companies_words_idx on public.companies using gin
  (private.search_keys(org_id, name || ' ' || coalesce(domain::text, '')))
  where archived_at is null;
create index deals_words_idx on public.deals using gin
  (private.search_keys(org_id, name))
  where archived_at is null;

-- One row per word and org, for words of letters only: numbers, codes and
-- the like (acme2, 1042) match record words exactly, as typed, and have no
-- look-alikes worth suggesting (nor should they crowd out the names that do
-- have some: trigram look-ups on the dictionary stay small). Derived data:
-- no audit trail. Words stay when their last record goes: a stale word only
-- finds nothing. No unique key on purpose: two transactions adding the same
-- new word never wait for each other (a long import would otherwise hold up
-- anyone adding a record with one of its names); a rare duplicate is
-- harmless, lookups are distinct.
create table public.search_words (
  id bigint generated always as identity primary key,
  org_id uuid not null references public.orgs (id) on delete cascade,
  word text not null check (word <> '' and length(word) <= 200)
);
create index search_words_org_word_idx on public.search_words (org_id, word text_pattern_ops);
create index search_words_trgm_idx on public.search_words using gin (org_id, word extensions.gin_trgm_ops);
alter table public.search_words enable row level security;
grant select on public.search_words to authenticated;
create policy search_words_select on public.search_words for select to authenticated
  using (public.is_member_of(org_id));

-- Adds the words of (org, text) pairs the dictionary does not hold yet.
create function private.add_search_words(org_ids uuid[], texts text[]) returns void
language sql security definer set search_path = '' as $$
  insert into public.search_words (org_id, word)
  select n.org_id, n.word
  from (
    select distinct r.org_id, w.word
    from unnest(org_ids, texts) r (org_id, t)
    cross join lateral unnest(private.search_words(r.t)) w (word)
    where w.word !~ '[0-9]' and length(w.word) between 2 and 200
  ) n
  where not exists (select 1 from public.search_words s where s.org_id = n.org_id and s.word = n.word)
$$;
revoke all on function private.add_search_words(uuid[], text[]) from public;

-- Once per insert statement (an import is one statement of many rows).
create function private.search_words_inserted() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_table_name = 'people' then
    perform private.add_search_words(array_agg(i.org_id), array_agg(i.full_name || ' ' || coalesce(i.email::text, '')))
    from inserted i;
  elsif tg_table_name = 'companies' then
    perform private.add_search_words(array_agg(i.org_id), array_agg(i.name || ' ' || coalesce(i.domain::text, '')))
    from inserted i;
  else
    perform private.add_search_words(array_agg(i.org_id), array_agg(i.name)) from inserted i;
  end if;
  return null;
end
$$;

-- Renames, new emails and domains, restores from the archive.
create function private.search_words_updated() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_table_name = 'people' then
    perform private.add_search_words(array[new.org_id], array[new.full_name || ' ' || coalesce(new.email::text, '')]);
  elsif tg_table_name = 'companies' then
    perform private.add_search_words(array[new.org_id], array[new.name || ' ' || coalesce(new.domain::text, '')]);
  else
    perform private.add_search_words(array[new.org_id], array[new.name]);
  end if;
  return null;
end
$$;

create trigger people_search_words_insert after insert on public.people
  referencing new table as inserted for each statement execute function private.search_words_inserted();
create trigger companies_search_words_insert after insert on public.companies
  referencing new table as inserted for each statement execute function private.search_words_inserted();
create trigger deals_search_words_insert after insert on public.deals
  referencing new table as inserted for each statement execute function private.search_words_inserted();

-- The dictionary of every active record, for data loaded with triggers off
-- (bench/_dataset.ts).
create function private.fill_search_words() returns void
language sql set search_path = '' as $$
  insert into public.search_words (org_id, word)
  select n.org_id, n.word
  from (
    select distinct r.org_id, w.word
    from (
      select org_id, full_name || ' ' || coalesce(email::text, '') as t from public.people where archived_at is null
      union all
      select org_id, name || ' ' || coalesce(domain::text, '') from public.companies where archived_at is null
      union all
      select org_id, name from public.deals where archived_at is null
    ) r
    cross join lateral unnest(private.search_words(r.t)) w (word)
    where w.word !~ '[0-9]' and length(w.word) between 2 and 200
  ) n
  where not exists (select 1 from public.search_words s where s.org_id = n.org_id and s.word = n.word)
$$;
revoke all on function private.fill_search_words() from public;

-- Ids of the caller's active records that may match `q`, per kind, for the
-- app to rank. Every typed word of 2+ characters with a letter must match a
-- word of the record: itself, a dictionary word it starts, or, when that
-- finds less than a page of a kind, a look-alike dictionary word (trigram
-- similarity >= 0.2: "jonh" is 0.25 from "john"). A typed word that is
-- neither a dictionary word nor starts one (and holds no digit, so it cannot
-- be a code left out of the dictionary) matches only through look-alikes.
-- Numbers and single letters start a word of the record; a query that is a
-- phone number matches the digits of the phone. Bounded per kind: the cost
-- follows the matches, not the size of the org.
--
-- The org is compared as text beside the word indexes (see
-- list_search_ids): company domains add dictionary words ("globexacme" from
-- globexacme8400.example), so a typed word has many completions, and with
-- such key lists the planner took to AND in a scan of the org's whole owner
-- index as a uuid, 7 ms a search, and without it to start parallel
-- workers, 10 ms.
create function public.search_candidates(q text)
returns table (kind text, id uuid)
language plpgsql stable security definer
-- pg_trgm's operators and functions are found in `extensions`.
set search_path = pg_catalog, extensions, public, pg_temp
set max_parallel_workers_per_gather = 0
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
           select t.id from %s t where t.org_id::text = %L and t.archived_at is null %s %s limit 100) c',
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
             select t.id from %s t where t.org_id::text = %L and t.archived_at is null %s %s limit 200) c',
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
grant execute on function public.search_candidates(text) to authenticated;

-- Search in one call, ranked past RLS.
--
-- Ranked under RLS, every candidate, every company's people and deals and
-- every joined row would pay for the policy check, whose
-- private.current_org_id() is a security definer call evaluated per row
-- (tens of microseconds each: more than the row). public.search_records()
-- ranks and reads the candidates for the caller's org alone, the org read
-- once, so each row costs what it costs, as search_candidates() does.
--
-- The phone has its own trigram index: people need no trigram index over
-- name, email and phone together (search goes word by word; under RLS a
-- LIKE cannot use one), which would be the costliest index to keep up on
-- import.
create index people_phone_search_idx on public.people using gin (org_id, phone extensions.gin_trgm_ops)
  where archived_at is null and phone is not null;

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

-- List searches on the word indexes.
--
-- A list's quick search is a substring test ("ackso" finds Jackson). Under
-- RLS it cannot use an index (LIKE is not leakproof), so on an org of 100k people a rare name read the whole org: half a second
-- per keystroke. public.list_search_ids() narrows the search past RLS, for
-- the caller's org only: every typed word of three letters or more must be
-- part of a word of the record, found through the org's dictionary
-- (search_words, whose trigram index serves "word like '%ackso%'") and the
-- record's word index. It returns a superset of the matches; the list keeps
-- its own exact condition on top, so the rows are the same either way.
--
-- For that superset to be exact, every run of letters in a record must be a
-- dictionary word, so a word is a run of letters or a run of digits
-- ("jsmith", "2" from jsmith2@...; see private.search_words), for the record
-- indexes, the dictionary and the Ctrl-K search alike.

-- Ids of the caller's active records of `kind` ('person', 'company' or
-- 'deal') that may match a list's search `q`, or NULL when `q` cannot narrow
-- the search (no word of three letters or more, each too common, or more
-- than `cap` records): the caller then tests every record in list order,
-- which stops early when matches are that common. A superset: the caller
-- keeps its exact condition on top (modules/crm/lists/narrow.ts).
--   - Text (the default): `q` is part of the words the kind's *_words_idx
--     holds (people: name and email; companies: name and domain; deals:
--     name). Each typed run of three letters or more must be part of a word
--     of the record.
--   - `as_number` (people only, a search typed without letters): the phone
--     holds its digits, or each typed number is a word of the name or email.
create function public.list_search_ids(kind text, q text, as_number boolean default false, cap int default 5000)
returns uuid[]
language plpgsql stable security definer
-- pg_trgm's operators and functions are found in `extensions`.
set search_path = pg_catalog, extensions, public, pg_temp
-- Starting parallel workers costs more than any of its reads.
set max_parallel_workers_per_gather = 0
as $$
declare
  -- A typed word found in more dictionary words than this narrows too little.
  broad constant int := 200;
  org uuid := private.current_org_id();
  tag text := left(org::text, 8) || ':';
  term text := left(lower(coalesce(q, '')), 200);
  tbl text;
  -- The expression of the kind's *_words_idx. Beside it the org is compared
  -- as text: the keys are the org's already (tagged), and as a uuid the
  -- planner would also read the org's whole index to AND it in.
  words text;
  w text;
  matched text[];
  conds text := '';
  digits text;
  ids uuid[];
  more uuid[];
begin
  case kind
    when 'person' then
      tbl := 'public.people';
      words := 'private.search_keys(t.org_id, t.full_name || '' '' || coalesce(t.email::text, ''''))';
    when 'company' then
      tbl := 'public.companies';
      words := 'private.search_keys(t.org_id, t.name || '' '' || coalesce(t.domain::text, ''''))';
    when 'deal' then
      tbl := 'public.deals';
      words := 'private.search_keys(t.org_id, t.name)';
    else
      raise exception 'list_search_ids: unknown kind %', kind using errcode = '22023';
  end case;
  if org is null then
    return '{}';
  end if;

  if as_number then
    digits := regexp_replace(term, '\D', '', 'g');
    if kind <> 'person' or length(digits) < 3 then
      return null;
    end if;
    -- The phones holding the digits (people_phone_search_idx serves the
    -- LIKE), and the people with each typed number as a word.
    execute format(
      'select coalesce(array_agg(id), ''{}'') from (
         select t.id from public.people t
         where t.org_id = %L and t.archived_at is null and t.phone is not null and t.phone like %L limit %s) c',
      org, '%' || digits || '%', cap + 1) into ids;
    execute format(
      'select coalesce(array_agg(id), ''{}'') from (
         select t.id from public.people t where t.org_id::text = %L and t.archived_at is null and %s @> %L::text[] limit %s) c',
      org, words, array(select distinct tag || x from unnest(private.search_words(term)) x), cap + 1) into more;
    ids := array(select distinct x from unnest(ids || more) x);
    return case when cardinality(ids) > cap then null else ids end;
  end if;

  -- Words are letters and digits only: nothing to escape for LIKE, and
  -- literal patterns (not parameters) let the planner use the indexes.
  foreach w in array array(select distinct x from unnest(private.search_words(term)) x where x !~ '[0-9]' and length(x) >= 3) loop
    execute format(
      'select array_agg(%L || word) from (
         select distinct word from public.search_words where org_id = %L and word like %L limit %s) d',
      tag, org, '%' || w || '%', broad + 1) into matched;
    if matched is null then
      -- No word of the org's records holds it.
      return '{}';
    end if;
    if cardinality(matched) <= broad then
      conds := conds || format(' and %s && %L::text[]', words, matched);
    end if;
  end loop;

  if conds <> '' then
    execute format(
      'select coalesce(array_agg(id), ''{}'') from (
         select t.id from %s t where t.org_id::text = %L and t.archived_at is null %s limit %s) c',
      tbl, org, conds, cap + 1) into ids;
    return case when cardinality(ids) > cap then null else ids end;
  end if;
  return null;
end
$$;
revoke all on function public.list_search_ids(text, text, boolean, int) from public;
grant execute on function public.list_search_ids(text, text, boolean, int) to authenticated;
