import { z } from "zod";
import { isIsoDate, zString } from "@/lib/validation";
import { customValuesSchema } from "@/modules/crm/custom-fields/ui";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { normalizeCurrency, parseMoneyToMinor, zTags } from "@/modules/crm/values/ui";

const id = z.uuid({ error: "Not a valid id" });
const optionalId = (message: string) =>
  z
    .union([z.literal(""), z.uuid({ error: message })])
    .nullish()
    .transform((v) => (v === "" ? null : v));

/**
 * The deal form, for create and edit. `value` is typed money ("12,500.00") in
 * `currency`, blank currency meaning the org default; both become
 * `value_minor` + `currency` here, so the browser and the server agree.
 */
export function dealSchema(defaultCurrency: string, defs: readonly CustomFieldDef[] = [], mode: "create" | "update" = "create") {
  return z
    .object({
      name: zString("Name").trim().min(1, "Enter the deal's name").max(200, "At most 200 characters"),
      pipelineId: id,
      stageId: z.uuid({ error: "Choose a stage" }),
      // The stage an edit form showed when it opened: a stageId equal to it is
      // one the user left alone, which must not undo a move made meanwhile
      // (e.g. marking the deal won) by writing the stale stage back.
      shownStageId: id.optional(),
      value: z.union([zString("Value"), z.number()]).nullish(),
      currency: zString("Currency").nullish(),
      ownerId: optionalId("Choose a member"),
      companyId: optionalId("Choose a company"),
      personId: optionalId("Choose a person"),
      expectedCloseDate: zString("Expected close date")
        .trim()
        .nullish()
        .refine((s) => !s || isIsoDate(s), "Use a date like 2026-03-31")
        .transform((s) => s || null),
      tags: zTags(),
      priority: z.boolean({ error: "Send true or false" }).optional(),
      custom: customValuesSchema(defs, { mode }),
    })
    .transform((d, ctx) => {
      const cur = normalizeCurrency(d.currency ?? "");
      if (!cur.ok) {
        ctx.issues.push({ code: "custom", path: ["currency"], message: cur.message, input: d.currency });
        return z.NEVER;
      }
      const currency = cur.value ?? defaultCurrency;
      const money = parseMoneyToMinor(d.value ?? "", currency);
      if (!money.ok) {
        ctx.issues.push({ code: "custom", path: ["value"], message: money.message, input: d.value });
        return z.NEVER;
      }
      const { value: _value, currency: _currency, ...rest } = d;
      return { ...rest, valueMinor: money.value ?? 0, currency };
    });
}

export type DealFormInput = z.input<ReturnType<typeof dealSchema>>;
export type DealInput = z.output<ReturnType<typeof dealSchema>>;

export const dealIdSchema = z.object({ id });

/** A drop on the board: the new stage and the cards it landed between, as shown. */
export const moveDealSchema = z.object({
  id,
  stageId: id,
  beforeId: id.nullish(),
  afterId: id.nullish(),
  reason: zString("Reason").trim().max(500, "At most 500 characters").nullish(),
});
export type MoveDealInput = z.output<typeof moveDealSchema>;

export const dealStatusSchema = z
  .object({
    id,
    status: z.enum(["open", "won", "lost"], { error: "Choose won, lost or open" }),
    reason: zString("Reason").trim().max(500, "At most 500 characters").nullish(),
  });
export type DealStatusInput = z.output<typeof dealStatusSchema>;

const ids = z.array(id).min(1, "Select at least one deal").max(1000, "At most 1,000 deals at once");
export const bulkIdsSchema = z.object({ ids });
export const bulkAssignSchema = z.object({ ids, userId: id.nullable() });
export const bulkTagSchema = z.object({ ids, tag: zString("Tag").trim().min(1, "Enter a tag").max(50, "At most 50 characters") });

/** Board filters, from the URL. */
export const boardFiltersSchema = z.object({
  pipeline: z.uuid().optional().catch(undefined),
  owner: z.union([z.literal("me"), z.uuid()]).optional().catch(undefined),
  tag: zString("Tag").trim().max(50).optional().catch(undefined),
  q: zString("Search").trim().max(200).optional().catch(undefined),
  limit: z.coerce.number().int().min(1).max(2000).optional().catch(undefined),
});
export type BoardFilters = z.output<typeof boardFiltersSchema>;

/** Most cards GET /deals/board-cards returns at once. */
export const BOARD_CARDS_MAX_PAGE = 200;
