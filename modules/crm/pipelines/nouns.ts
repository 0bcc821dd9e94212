// What a pipeline's deals are called. A vertical names them by data (a
// surrogacy agency's "Cases" and "Intended parents" are deals on two
// pipelines), so every screen asks the pipeline instead of saying "Deal".

export interface Nouns {
  singular: string;
  plural: string;
}

export const DEFAULT_NOUNS: Nouns = { singular: "Deal", plural: "Deals" };

/** The pipeline's nouns, "Deal"/"Deals" when it names none (or when there is no pipeline). */
export function nounsOf(pipeline: { nounSingular: string | null; nounPlural: string | null } | null | undefined): Nouns {
  const singular = pipeline?.nounSingular?.trim();
  const plural = pipeline?.nounPlural?.trim();
  return singular && plural ? { singular, plural } : DEFAULT_NOUNS;
}

/** "Intended parent" in the middle of a sentence: "New intended parent", "case assigned". */
export function inSentence(noun: string): string {
  return noun.toLowerCase();
}

/** A navigation entry for the deals of every pipeline that shares one noun. */
export interface PipelineNavEntry {
  label: string;
  href: string;
  pipelineIds: string[];
}

/**
 * One entry per distinct noun, in pipeline order: a sales org's pipelines all
 * say "Deals" and share one entry at /deals, as before; a surrogacy agency
 * gets "Cases" and "Intended parents", each opening its first pipeline's board.
 */
export function pipelineNavEntries(
  pipelines: readonly { id: string; nounSingular: string | null; nounPlural: string | null }[],
): PipelineNavEntry[] {
  const groups = new Map<string, string[]>();
  for (const p of pipelines) {
    const { plural } = nounsOf(p);
    groups.set(plural, [...(groups.get(plural) ?? []), p.id]);
  }
  if (groups.size <= 1) {
    return [{ label: groups.keys().next().value ?? DEFAULT_NOUNS.plural, href: "/deals", pipelineIds: pipelines.map((p) => p.id) }];
  }
  return [...groups].map(([label, ids]) => ({ label, href: `/deals?pipeline=${ids[0]}`, pipelineIds: ids }));
}

/**
 * What a list of deals is called: its pipeline's noun when narrowed to one
 * ("Cases"), else the nouns of every pipeline ("Cases and intended parents";
 * a sales org's "Deals").
 */
export function pipelineListWords(
  pipelines: readonly { id: string; name: string; nounSingular: string | null; nounPlural: string | null }[],
  shownId: string | undefined,
): { title: string; description: string } {
  const shown = pipelines.find((p) => p.id === shownId);
  if (shown) {
    const nouns = nounsOf(shown);
    return { title: nouns.plural, description: `Every ${inSentence(nouns.singular)} of the ${shown.name} pipeline.` };
  }
  const all = [...new Map(pipelines.map((p) => [nounsOf(p).plural, nounsOf(p)])).values()];
  if (all.length <= 1) {
    const nouns = all[0] ?? DEFAULT_NOUNS;
    return { title: nouns.plural, description: `Every ${inSentence(nouns.singular)} across your pipelines.` };
  }
  const titles = all.map((n, i) => (i === 0 ? n.plural : inSentence(n.plural)));
  return { title: `${titles.slice(0, -1).join(", ")} and ${titles.at(-1)}`, description: "Every record of every pipeline." };
}
