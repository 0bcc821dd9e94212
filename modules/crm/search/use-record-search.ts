"use client";

import * as React from "react";
import { SEARCH_MIN_LENGTH, type SearchResults } from "./schema";

export type RecordSearchState =
  | { status: "idle"; results: null }
  | { status: "loading"; results: SearchResults | null }
  | { status: "done"; results: SearchResults }
  | { status: "error"; results: null; message: string };

const IDLE: RecordSearchState = { status: "idle", results: null };

/**
 * Live results for `query` from GET /api/crm/search, fetched once typing
 * pauses for `delay` ms. Each new query aborts the request before it, so an
 * answer that arrives late never replaces a newer one. While a new answer is
 * on its way the previous results stay on screen.
 */
export function useRecordSearch(query: string, { enabled = true, delay = 120 } = {}): RecordSearchState {
  const [state, setState] = React.useState<RecordSearchState>(IDLE);
  const q = query.trim();
  const active = enabled && q.length >= SEARCH_MIN_LENGTH;

  React.useEffect(() => {
    if (!active) {
      setState(IDLE);
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ status: "loading", results: s.results }));
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/crm/search?q=${encodeURIComponent(q)}`, {
          signal: controller.signal,
          headers: { accept: "application/json" },
        });
        const body = await res.json();
        if (controller.signal.aborted) return;
        if (!res.ok) throw new Error(typeof body?.error?.message === "string" ? body.error.message : "Search failed");
        setState({ status: "done", results: body as SearchResults });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState({
          status: "error",
          results: null,
          message: error instanceof Error && error.message !== "Failed to fetch" ? error.message : "Search is unavailable",
        });
      }
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, active, delay]);

  return active ? state : IDLE;
}
