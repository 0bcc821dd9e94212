-- Search finds only records that match what was typed.
--
-- Trigram similarity alone let look-alikes in that share a few letters with
-- the typed word but are no typo of it: "sofia" found the deal "Membership
-- software" (0.25) and "lovelace" the company at foxglovelaw.com (0.24), with
-- that company's people and deals. A look-alike must now also be a word the
-- typed one is a few slips from (an edit per three letters), as "jonh" is
-- from "john". fuzzystrmatch is a trusted extension, in schema `extensions`.

create extension if not exists fuzzystrmatch with schema extensions;

-- Ids of the caller's active records that may match `q`, per kind, for the
-- app to rank. Every typed word of 2+ characters with a letter must match a
-- word of the record: itself, a dictionary word it starts, or, when that
-- finds less than a page of a kind, a look-alike dictionary word (trigram
-- similarity >= 0.2: "jonh" is 0.25 from "john", and at most one edit
-- per three typed letters away: "zefirine" is three from "zephyrine"). A typed word that is
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
create or replace function public.search_candidates(q text)
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
  -- Edits a look-alike may be from the typed word: one per three letters.
  typos int;
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
            typos := (length(w) + 2) / 3;
            -- Look-alikes at trigram similarity 0.2, set around the lookup
            -- rather than by a SET clause: PostgreSQL refuses a non-superuser
            -- a SET clause on an extension's parameter unless the extension's
            -- library happens to be loaded in the session creating the function.
            prior := current_setting('pg_trgm.similarity_threshold', true);
            perform set_config('pg_trgm.similarity_threshold', '0.2', true);
            execute format(
              'select (%L::text[] || coalesce(array_agg(word), ''{}''))::text from (
                 select word from public.search_words where org_id = %L and word %% %L and word not like %L
                   and levenshtein_less_equal(word, %L, %s) <= %s
                 group by word order by similarity(word, %L) desc, word limit 16) d',
              exact[i], org, w, w || '%', w, typos, typos, w) into words_of;
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
