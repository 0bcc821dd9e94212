"use client";

import * as React from "react";
import type { PipelineNavEntry } from "@/modules/crm/pipelines/ui";

// The deals entries of the navigation, named by the org's pipelines (one per
// noun), for the sidebar, the mobile sidebar and the palette alike.
const PipelineNavContext = React.createContext<PipelineNavEntry[] | undefined>(undefined);

export function PipelineNavProvider({ entries, children }: { entries: PipelineNavEntry[]; children: React.ReactNode }) {
  return <PipelineNavContext.Provider value={entries}>{children}</PipelineNavContext.Provider>;
}

export function usePipelineNav(): PipelineNavEntry[] | undefined {
  return React.useContext(PipelineNavContext);
}
