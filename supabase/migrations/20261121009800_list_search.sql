-- List searches on the word indexes.
--
-- A list's quick search is a substring test ("ackso" finds Jackson). Under
-- RLS it cannot use an index (LIKE is not leakproof: see 20261121007100), so
-- on an org of 100k people a rare name read the whole org: half a second
-- per keystroke. public.list_search_ids() narrows the search past RLS, for
-- the caller's org only: every typed word of three letters or more must be
-- part of a word of the record, found through the org's dictionary
-- (search_words, whose trigram index serves "word like '%ackso%'") and the
-- record's word index. It returns a superset of the matches; the list keeps
-- its own exact condition on top, so the rows are the same either way.
--
-- For that superset to be exact, every run of letters in a record must be a
-- dictionary word. Words mixing letters and digits ("jsmith2", "acme3") were
-- one word, left out of the dictionary: "smith" could not find jsmith2@...
-- A word is now a run of letters or a run of digits ("jsmith", "2"), for the
-- record indexes, the dictionary and the Ctrl-K search alike; the indexes
-- are rebuilt and the new letter runs added to the dictionary below.

-- Three plain passes: a lookahead split in one pass cost twice as much on a
-- 100k-row import, where every row goes through both functions.
create or replace function private.search_words(t text) returns text[]
language sql immutable parallel safe
return string_to_array(btrim(regexp_replace(regexp_replace(
  regexp_replace(lower(t), '[^[:alnum:]]+', ' ', 'g'),
  '([0-9])([[:alpha:]])', '\1 \2', 'g'), '([[:alpha:]])([0-9])', '\1 \2', 'g')), ' ');

create or replace function private.search_keys(org uuid, t text) returns text[]
language sql immutable parallel safe
return string_to_array(
  left(org::text, 8) || ':' || replace(btrim(regexp_replace(regexp_replace(
    regexp_replace(lower(t), '[^[:alnum:]]+', ' ', 'g'),
    '([0-9])([[:alpha:]])', '\1 \2', 'g'), '([[:alpha:]])([0-9])', '\1 \2', 'g')), ' ', ' ' || left(org::text, 8) || ':'),
  ' ');

reindex index public.people_words_idx;
reindex index public.companies_words_idx;
reindex index public.deals_words_idx;
select private.fill_search_words();

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
-- pg_trgm lives in `extensions` on Supabase, in `public` locally.
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

-- The Ctrl-K search's candidates, as in 20261121009100 but for the org compared as
-- text beside the word indexes (see list_search_ids). Company domains now
-- add dictionary words ("globexacme" from globexacme8400.example), so a typed
-- word has more completions; with their larger key lists the planner took
-- to AND in a scan of the org's whole owner index, 7 ms a search, and
-- without it to start parallel workers, 10 ms.
create or replace function public.search_candidates(q text)
returns table (kind text, id uuid)
language plpgsql stable security definer
-- pg_trgm lives in `extensions` on Supabase, in `public` locally.
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
