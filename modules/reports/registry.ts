// Every report Covey offers, in the order the index lists them.

import { byOwner, byStage, funnel, newTrend, timeInStage, wonLost } from "./definitions/deals";
import { leadsBySource, leadsByStatus, metaCampaigns } from "./definitions/leads";
import type { ReportDefinition } from "./registry-types";

export const REPORTS: readonly ReportDefinition[] = [
  byStage,
  byOwner,
  newTrend,
  funnel,
  timeInStage,
  wonLost,
  leadsBySource,
  leadsByStatus,
  metaCampaigns,
];

export function reportOf(slug: string): ReportDefinition | undefined {
  return REPORTS.find((r) => r.slug === slug);
}
