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
