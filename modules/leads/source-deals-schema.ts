// Settings → Leads → "Leads that arrive as deals": per source, the stage of
// a pipeline its arriving leads become deals at, or none.
import { z } from "zod";

export const sourceDealStageSchema = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Not one of your organization's sources"),
  stageId: z.uuid("Choose a stage of one of your pipelines").nullable(),
});
