// Settings → Leads input: the org's own sources and statuses, named by label.
import { z } from "zod";
import { zString } from "@/lib/validation";

export const LEAD_STATUS_CATEGORIES = ["open", "won", "lost"] as const;
export type LeadStatusCategory = (typeof LEAD_STATUS_CATEGORIES)[number];
export const CATEGORY_LABELS: Record<LeadStatusCategory, string> = { open: "Open", won: "Won", lost: "Lost" };

const zSettingKey = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Not one of your organization's keys");
const zLabel = zString("Label", { error: "Enter a label" })
  .trim()
  .min(1, "Enter a label")
  .max(80, "A label is at most 80 characters");
const zCategory = z.enum(LEAD_STATUS_CATEGORIES, { error: "Choose open, won or lost" });

export const addLeadSourceSchema = z.object({ label: zLabel });
export const renameLeadSettingSchema = z.object({ key: zSettingKey, label: zLabel });
export const leadSettingKeySchema = z.object({ key: zSettingKey });
export const addLeadStatusSchema = z.object({ label: zLabel, category: zCategory.default("open") });
export const updateLeadStatusSchema = z.object({ key: zSettingKey, label: zLabel, category: zCategory });
export const reorderLeadStatusesSchema = z.object({
  keys: z.array(zSettingKey).min(1, "Send the statuses in their new order").max(200),
});
export const archiveLeadStatusSchema = z.object({
  key: zSettingKey,
  /** Where the status's leads go first; needed only when it has leads. */
  moveTo: zSettingKey.nullish(),
});

/** The key a new source or status gets from its label: "Trade show" → trade_show. */
export function keyFromLabel(label: string): string {
  const slug = label
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 32)
    .replace(/_+$/, "");
  return /^[a-z]/.test(slug) ? slug : `custom_${slug}`.replace(/_+$/, "").slice(0, 32);
}
