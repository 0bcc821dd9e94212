"use server";

import { revalidatePath } from "next/cache";
import { type ActionResult, invalid } from "@/lib/action-result";
import { runAction } from "@/lib/actions";
import { recordActions } from "@/modules/crm/records";
import { leadStatusSchema } from "./schema";
import {
  archiveLeads,
  assignLeads,
  type Conversion,
  convertLead,
  createLead as create,
  deleteLeads,
  restoreLeads,
  setLeadStatus,
  updateLeadField,
} from "./service";

const leads = recordActions("/leads");

export async function createLeadAction(input: unknown) {
  return leads.create("Creating the lead failed.", (tx, actor) => create(tx, actor, input));
}

export async function editLeadCell(id: string, fieldKey: string, value: string | null) {
  return leads.change(id, "Saving the change failed.", (tx, actor) => updateLeadField(tx, actor, id, fieldKey, value));
}

export async function archiveLeadsAction(input: { ids: string[] }) {
  return leads.archive(input, archiveLeads);
}

export async function restoreLeadsAction(input: { ids: string[] }) {
  return leads.restore(input, restoreLeads);
}

export async function deleteLeadsAction(input: { ids: string[] }) {
  return leads.remove(input, deleteLeads);
}

export async function assignLeadsAction(input: { ids: string[]; userId: string | null }) {
  return leads.assign(input, assignLeads);
}

export async function setLeadStatusAction(input: { ids: string[]; value: string }): Promise<ActionResult<number>> {
  const parsed = leadStatusSchema.safeParse({ ids: input?.ids, status: input?.value });
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await runAction("records.work", "Changing the status failed.", (tx, actor) =>
    setLeadStatus(tx, actor, parsed.data.ids, parsed.data.status));
  if (result.ok) revalidatePath("/leads");
  return result;
}

/** Converts the lead; the person, company and deal pages it touched show it next time they load. */
export async function convertLeadAction(id: string, input: unknown): Promise<ActionResult<Conversion>> {
  return leads.change(id, "Converting the lead failed.", async (tx, actor) => {
    const result = await convertLead(tx, actor, id, input);
    revalidatePath(`/people/${result.personId}`);
    if (result.companyId) revalidatePath(`/companies/${result.companyId}`);
    return result;
  });
}
