"use client";

import { useRouter } from "next/navigation";
import { useCallback, useTransition } from "react";
import { type ListState, serializeListState } from "@/modules/crm/lists/ui";

export function listHref(basePath: string, state: Partial<ListState>): string {
  const qs = serializeListState(state).toString();
  return qs ? `${basePath}?${qs}` : basePath;
}

/**
 * The list's state lives in the URL only: every change navigates, the server
 * page re-reads the query string and renders the new rows.
 */
export function useListNavigation(basePath: string, state: ListState) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  const go = useCallback(
    (next: Partial<ListState>, opts: { replace?: boolean } = {}) => {
      const href = listHref(basePath, next);
      startTransition(() => {
        if (opts.replace) router.replace(href, { scroll: false });
        else router.push(href, { scroll: false });
      });
    },
    [basePath, router],
  );

  /** Applies a change to what is listed; the page cursor no longer fits, so it starts again at the first page. */
  const update = useCallback(
    (patch: Partial<ListState>, opts: { replace?: boolean } = {}) => go({ ...state, after: undefined, ...patch }, opts),
    [go, state],
  );

  const refresh = useCallback(() => startTransition(() => router.refresh()), [router]);

  return { pending, go, update, refresh };
}
