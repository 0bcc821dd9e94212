// Input of Settings → Teams, checked the same in the browser and on the server.
import { z } from "zod";
import { zString } from "@/lib/validation";

const id = (what: string) => z.uuid({ error: `Not a valid ${what}` });

export const teamFieldsSchema = z.object({
  name: zString("Name").trim().min(1, "Enter a name").max(80, "At most 80 characters"),
  description: zString("Description").trim().max(500, "At most 500 characters").default(""),
});

export const teamCreateSchema = teamFieldsSchema;
export const teamUpdateSchema = teamFieldsSchema.extend({ id: id("team") });
export const teamIdSchema = z.object({ id: id("team") });
export const teamMemberSchema = z.object({ teamId: id("team"), userId: id("member") });

export type TeamFieldsInput = z.input<typeof teamFieldsSchema>;
export type TeamUpdateInput = z.output<typeof teamUpdateSchema>;
