import { z } from "zod";
import { zString } from "@/lib/validation";

export const SEARCH_MAX_LENGTH = 100;
/** Shorter queries match nothing useful and cannot use the trigram indexes. */
export const SEARCH_MIN_LENGTH = 2;
export const SEARCH_LIMIT_PER_TYPE = 8;

export const searchQuerySchema = z.object({
  q: zString("Search text")
    .trim()
    .max(SEARCH_MAX_LENGTH, `Search text is limited to ${SEARCH_MAX_LENGTH} characters`),
});

export type SearchHitType = "person" | "company" | "deal" | "lead";

/** A field a hit can match by other than its name (public.search_records decides which). */
export type SearchMatchField = "email" | "phone" | "company" | "domain" | "number";

export const SEARCH_MATCH_LABELS: Record<SearchMatchField, string> = {
  email: "Email",
  phone: "Phone",
  company: "Company",
  domain: "Domain",
  number: "No.",
};

export interface SearchHit {
  type: SearchHitType;
  id: string;
  title: string;
  /**
   * What tells two hits apart in the palette: email and company, domain,
   * company and value, less what `match` shows.
   */
  subtitle: string | null;
  /** The field the hit matched by when it is not the name, and its text. */
  match: { field: SearchMatchField; text: string } | null;
  href: string;
  /** A deal's: what its pipeline calls its deals ("Cases"), the palette's heading for it; null for "Deals". */
  noun?: string | null;
}

export interface SearchResults {
  q: string;
  people: SearchHit[];
  companies: SearchHit[];
  deals: SearchHit[];
  leads: SearchHit[];
}

export const hrefFor = (type: SearchHitType, id: string) =>
  type === "person" ? `/people/${id}` : type === "company" ? `/companies/${id}` : type === "lead" ? `/leads/${id}` : `/deals/${id}`;
