import { z } from "zod";
import { zString } from "@/lib/validation";
import { viewStateSchema, type ViewState } from "@/modules/crm/lists/state";

export const OBJECT_TYPES = ["person", "company", "deal", "task", "lead"] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/** A saved list view as the list UI receives it. */
export interface SavedView {
  id: string;
  objectType: ObjectType;
  name: string;
  shared: boolean;
  ownerId: string;
  ownerName: string;
  /** Created by the signed-in member. */
  mine: boolean;
  /** The signed-in member may update, rename or delete it (their own, or a shared one as owner/admin). */
  editable: boolean;
  state: ViewState;
  updatedAt: string;
}

const objectType = z.enum(OBJECT_TYPES, { error: "Unknown list" });
const name = zString("Name").trim().min(1, "Enter a name for the view").max(80, "Name is too long (80 characters at most)");
const id = z.uuid("Not a valid view");

export const createViewSchema = z.object({
  objectType,
  name,
  shared: z.boolean().default(false),
  state: viewStateSchema,
});
export const updateViewStateSchema = z.object({ id, state: viewStateSchema });
export const renameViewSchema = z.object({ id, name, shared: z.boolean().optional() });
export const viewIdSchema = z.object({ id });

export type CreateViewInput = z.input<typeof createViewSchema>;
