-- What a pipeline's deals are called: a surrogacy agency's "Cases" and
-- "Intended parents" are deals on two pipelines, and every screen, search
-- result and notification names them by their pipeline's nouns. Null means
-- the default, "Deal" / "Deals"; the two are set together so a list title
-- never pairs one pipeline's singular with another's plural. The REST API and
-- events keep their stable names (deals, deal.*) whatever a pipeline says.
alter table public.pipelines
  add column noun_singular text check (noun_singular = btrim(noun_singular) and length(noun_singular) between 1 and 40),
  add column noun_plural text check (noun_plural = btrim(noun_plural) and length(noun_plural) between 1 and 40),
  add constraint pipelines_nouns_together check ((noun_singular is null) = (noun_plural is null));
grant insert (noun_singular, noun_plural), update (noun_singular, noun_plural) on public.pipelines to authenticated;
