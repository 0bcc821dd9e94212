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

-- The words of a text: lower-cased runs of letters and digits. Record indexes
-- and the dictionary both use this, so they agree on what a word is.
-- SQL-standard bodies: bound at creation (no search_path at run time) and
-- inlined into index expressions, which matters on a 100k-row import.
create function private.search_words(t text) returns text[]
language sql immutable parallel safe
return string_to_array(btrim(regexp_replace(lower(t), '[^[:alnum:]]+', ' ', 'g')), ' ');

-- The same words as GIN keys tagged with the org ("be32f4c5:john"): a key's
-- posting list then holds one org's records, not every org's Johns (an
-- org_id column in the index would still intersect with all of the org's
-- rows). Eight hex digits: two orgs sharing a tag only share candidates,
-- which the org_id condition beside every use drops.
create function private.search_keys(org uuid, t text) returns text[]
language sql immutable parallel safe
return string_to_array(
  left(org::text, 8) || ':' || replace(btrim(regexp_replace(lower(t), '[^[:alnum:]]+', ' ', 'g')), ' ', ' ' || left(org::text, 8) || ':'),
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
create index search_words_trgm_idx on public.search_words using gin (org_id, word gin_trgm_ops);
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

create trigger people_search_words_update after update of first_name, last_name, email, archived_at on public.people
  for each row
  when (old.full_name is distinct from new.full_name or old.email is distinct from new.email
        or old.archived_at is distinct from new.archived_at)
  execute function private.search_words_updated();
create trigger companies_search_words_update after update of name, domain, archived_at on public.companies
  for each row
  when (old.name is distinct from new.name or old.domain is distinct from new.domain
        or old.archived_at is distinct from new.archived_at)
  execute function private.search_words_updated();
create trigger deals_search_words_update after update of name, archived_at on public.deals
  for each row
  when (old.name is distinct from new.name or old.archived_at is distinct from new.archived_at)
  execute function private.search_words_updated();

-- The dictionary of every active record, for this migration and for data
-- loaded with triggers off (bench/crm.ts).
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
select private.fill_search_words();

-- Ids of the caller's active records that may match `q`, per kind, for the
-- app to rank. Every typed word of 2+ characters with a letter must match a
-- word of the record: itself, a dictionary word it starts, or, when that
-- finds less than a page of a kind, a look-alike dictionary word (trigram
-- similarity >= 0.2: "jonh" is 0.25 from "john"). Numbers and single letters
-- start a word of the record; a query that is a phone number matches the
-- digits of the phone. Bounded per kind: the cost follows the matches, not
-- the size of the org.
create function public.search_candidates(q text)
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
  -- The shortest completions are the likeliest.
  foreach w in array keyed loop
    execute format(
      'select (%L || coalesce(array_agg(word), ''{}''))::text from (
         select word from public.search_words where org_id = %L and word like %L and word <> %L
         group by word order by length(word), word limit 16) d',
      array[w], org, w || '%', w) into words_of;
    exact := exact || words_of;
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

    execute format(
      'select coalesce(array_agg(id), ''{}'') from (
         select t.id from %s t where t.org_id = %L and t.archived_at is null %s %s limit 100) c',
      tbl, org, plain_cond,
      (select string_agg(format(' and %s && %L::text[]', words, array(select tag || x from unnest(g::text[]) x)), '') from unnest(exact) g)) into ids;

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
      if loose is distinct from exact then
        execute format(
          'select coalesce(array_agg(id), ''{}'') from (
             select t.id from %s t where t.org_id = %L and t.archived_at is null %s %s limit 200) c',
          tbl, org, plain_cond,
          (select string_agg(format(' and %s && %L::text[]', words, array(select tag || x from unnest(g::text[]) x)), '') from unnest(loose) g)) into more;
        ids := ids || more;
      end if;
    end if;

    -- A phone number typed any way: its digits inside the E.164 number
    -- (people_search_idx serves this LIKE).
    if k = 'person' and term ~ '^[\d\s()+.\-]+$' and length(digits) >= 4 then
      execute format(
        'select coalesce(array_agg(id), ''{}'') from (
           select t.id from public.people t where t.org_id = %L and t.archived_at is null
             and lower(t.full_name || '' '' || coalesce(t.email::text, '''') || '' '' || coalesce(t.phone, '''')) like %L
           limit 100) c',
        org, '%' || digits || '%') into more;
      ids := ids || more;
    end if;
    return query select distinct k, x from unnest(ids) x;
  end loop;
end
$$;
grant execute on function public.search_candidates(text) to authenticated;
