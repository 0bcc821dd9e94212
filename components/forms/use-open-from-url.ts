"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useId, useState } from "react";

// A list page may render its "New …" button twice (header and empty state);
// the first one mounted answers `?new=1`, so only one dialog opens.
let claimedBy: string | null = null;

/**
 * Open state of a create dialog that `?new=1` opens (the command palette's
 * quick actions link there). Closing it drops `new` from the URL without a
 * server round trip, so reloading or going back does not open it again.
 */
export function useOpenFromUrl(param = "new"): [boolean, (open: boolean) => void] {
  const asked = useSearchParams().get(param) === "1";
  const id = useId();
  const [open, setOpenState] = useState(false);

  useEffect(() => {
    if (!asked || (claimedBy !== null && claimedBy !== id)) return;
    claimedBy = id;
    setOpenState(true);
  }, [asked, id]);

  useEffect(
    () => () => {
      if (claimedBy === id) claimedBy = null;
    },
    [id],
  );

  const setOpen = useCallback(
    (next: boolean) => {
      setOpenState(next);
      if (next) return;
      if (claimedBy === id) claimedBy = null;
      const url = new URL(window.location.href);
      if (!url.searchParams.has(param)) return;
      url.searchParams.delete(param);
      window.history.replaceState(null, "", url);
    },
    [id, param],
  );

  return [open, setOpen];
}
