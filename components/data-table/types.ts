import type { ReactNode } from "react";
import type { ActionResult } from "@/lib/action-result";
import type { ObjectType, SavedView } from "@/modules/crm/lists";
import type { ListField, ListState } from "@/modules/crm/lists/ui";

export type { ObjectType, SavedView };

/** A row as the list renders it: field values keyed by field key (custom fields may instead sit in `custom`). */
export type ListRow = Record<string, unknown> & { id: string };

export interface ListMember {
  id: string;
  name: string;
}

type Result = Promise<ActionResult<unknown>>;

/** Server actions for the bulk bar; each receives the selected ids. */
export interface BulkActions {
  /** Sets the owner / assignee; `userId` null clears it. */
  assign?: (input: { ids: string[]; userId: string | null }) => Result;
  tag?: (input: { ids: string[]; tag: string }) => Result;
  archive?: (input: { ids: string[] }) => Result;
  restore?: (input: { ids: string[] }) => Result;
  delete?: (input: { ids: string[] }) => Result;
  /** Sets one field of every selected record to a chosen option (a lead's status). */
  choose?: { label: string; options: { value: string; label: string }[]; action: (input: { ids: string[]; value: string }) => Result };
}

/**
 * Saves one cell. `value` is the editor's string (date `YYYY-MM-DD`, number as
 * typed, select option value, member user id) or null when cleared; the
 * action validates it like any other input.
 */
export type InlineEditAction = (id: string, fieldKey: string, value: string | null) => Result;

export interface RecordListProps {
  objectType: ObjectType;
  fields: ListField[];
  rows: ListRow[];
  nextCursor: string | null;
  /**
   * How many rows match (capped, see COUNT_CAP). A promise lets the page
   * send the rows before the count is known; it resolves to undefined when
   * the count could not be read.
   */
  total?: number | Promise<number | undefined>;
  state: ListState;
  /** The list's route, e.g. "/people". */
  basePath: string;
  /** Rows link to `${detailBasePath}/${row.id}`. */
  detailBasePath: string;
  views: SavedView[];
  members: ListMember[];
  bulk?: BulkActions;
  inlineEdit?: InlineEditAction;
  canDelete: boolean;
  canExport: boolean;
  /** What the search box looks through, as its placeholder ("Search name, email or phone"); else "Search people". */
  searchPlaceholder?: string;
  /** Shown when the object has no records at all (not when filters match nothing). */
  emptyState?: ReactNode;
  /** Currency for money cells whose row has no `currency` (the org default). */
  defaultCurrency?: string;
  /** The list's phone numbers are click-to-call on their row's record (people and leads). */
  callable?: boolean;
  /** A row whose value of this field is true (or "true") is highlighted: a deal flagged priority. */
  highlightKey?: string;
  /** Problems with the URL's list state (from parseListState or ListQueryError), shown above the table. */
  stateError?: string;
}
