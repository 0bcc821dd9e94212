import type { SearchMatchField } from "./schema";

export interface MatchPart {
  text: string;
  /** This part is what the query's words (or a phone number's digits) found. */
  mark: boolean;
}

/**
 * `text`, the field a search hit matched by, cut into the parts the query
 * found and the rest: a phone by the typed digits, other fields by the words
 * that start with a typed word (runs of letters or of digits, as the search
 * splits words). A look-alike ("jonh" for john) is not marked.
 */
export function matchParts(text: string, query: string, field: SearchMatchField): MatchPart[] {
  const parts: MatchPart[] = [];
  const push = (part: string, mark: boolean) => {
    if (!part) return;
    const last = parts.at(-1);
    if (last && last.mark === mark) last.text += part;
    else parts.push({ text: part, mark });
  };
  if (field === "phone") {
    const digits = query.replace(/\D/g, "");
    const at = digits ? text.indexOf(digits) : -1;
    if (at < 0) return [{ text, mark: false }];
    push(text.slice(0, at), false);
    push(text.slice(at, at + digits.length), true);
    push(text.slice(at + digits.length), false);
    return parts;
  }
  const typed = [...new Set(query.toLowerCase().match(WORD) ?? [])].sort((a, b) => b.length - a.length);
  for (const run of text.match(RUN) ?? []) {
    const lower = run.toLowerCase();
    const hit = /[\p{L}\p{N}]/u.test(run) ? typed.find((w) => lower.startsWith(w)) : undefined;
    if (hit) {
      push(run.slice(0, hit.length), true);
      push(run.slice(hit.length), false);
    } else push(run, false);
  }
  return parts;
}

const WORD = /\p{L}+|\p{N}+/gu;
const RUN = /\p{L}+|\p{N}+|[^\p{L}\p{N}]+/gu;
