"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionResult, invalid, ok } from "@/lib/action-result";
import { actionFailure, authorize } from "@/lib/actions";
import { asMember, getSession, type Session } from "@/lib/auth/session";
import type { Tx } from "@/lib/db";
import { invalidInput } from "@/lib/errors";
import { listCustomFieldDefs } from "@/modules/crm/custom-fields";
import { createDealWithPerson } from "./person-deal";
import { searchLinkable } from "./queries";
import {
  bulkAssignSchema,
  bulkIdsSchema,
  bulkTagSchema,
  dealIdSchema,
  dealSchema,
  dealStatusSchema,
  moveDealSchema,
} from "./schema";
import * as service from "./service";

/** Runs a service call as the member in one transaction: a refusal rolls it back and is answered; anything else is logged and answered generically. */
async function run<T>(session: Session, what: string, fn: (tx: Tx) => Promise<T>): Promise<ActionResult<T>> {
  try {
    return ok(await asMember(session, fn));
  } catch (e) {
    return actionFailure(e, `${what} failed. Try again.`);
  }
}

async function orgCurrency(tx: Tx): Promise<string> {
  const org = await tx.selectFrom("orgs").select("default_currency").executeTakeFirst();
  return org?.default_currency?.trim() || "USD";
}

function revalidateDeals(id?: string) {
  revalidatePath("/deals");
  revalidatePath("/deals/list");
  if (id) revalidatePath(`/deals/${id}`);
}

export async function createDealAction(input: unknown): Promise<ActionResult<{ id: string }>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const result = await run(session, "Creating the deal", async (tx) => {
    const parsed = dealSchema(await orgCurrency(tx), await listCustomFieldDefs(tx, "deal"), "create").safeParse(input);
    if (!parsed.success) throw invalidInput(parsed.error.issues);
    return service.createDeal(tx, { orgId: session.org.id, userId: session.user.id }, parsed.data);
  });
  if (result.ok) revalidateDeals();
  return result;
}

/** "New case": the person and their deal in one transaction (pipelines of one deal per person). */
export async function createPersonDealAction(input: unknown): Promise<ActionResult<{ id: string; personId: string }>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const result = await run(session, "Creating the record", async (tx) =>
    createDealWithPerson(tx, { orgId: session.org.id, userId: session.user.id, role: session.role }, input, { defaultCurrency: await orgCurrency(tx) }),
  );
  if (result.ok) revalidateDeals();
  return result;
}

export async function updateDealAction(id: string, input: unknown): Promise<ActionResult<void>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const ref = dealIdSchema.safeParse({ id });
  if (!ref.success) return invalid(ref.error.issues);
  const result = await run(session, "Saving the deal", async (tx) => {
    const parsed = dealSchema(await orgCurrency(tx), await listCustomFieldDefs(tx, "deal"), "update").safeParse(input);
    if (!parsed.success) throw invalidInput(parsed.error.issues);
    return service.updateDeal(tx, ref.data.id, parsed.data);
  });
  if (result.ok) revalidateDeals(ref.data.id);
  return result;
}

export async function moveDealAction(input: unknown): Promise<ActionResult<{ position: number }>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = moveDealSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await run(session, "Moving the deal", (tx) => service.moveDeal(tx, parsed.data));
  if (result.ok) revalidateDeals(parsed.data.id);
  return result;
}

export async function setDealStatusAction(input: unknown): Promise<ActionResult<void>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = dealStatusSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await run(session, "Updating the deal", (tx) => service.setDealStatus(tx, parsed.data));
  if (result.ok) revalidateDeals(parsed.data.id);
  return result;
}

export async function archiveDealsAction(input: { ids: string[] }): Promise<ActionResult<unknown>> {
  const { session, error } = await authorize("records.archive");
  if (error) return error;
  const parsed = bulkIdsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await run(session, "Archiving", (tx) => service.archiveDeals(tx, parsed.data.ids, true));
  if (result.ok) revalidateDeals(parsed.data.ids.length === 1 ? parsed.data.ids[0] : undefined);
  return result;
}

export async function restoreDealsAction(input: { ids: string[] }): Promise<ActionResult<unknown>> {
  const { session, error } = await authorize("records.archive");
  if (error) return error;
  const parsed = bulkIdsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await run(session, "Restoring", (tx) => service.archiveDeals(tx, parsed.data.ids, false));
  if (result.ok) revalidateDeals(parsed.data.ids.length === 1 ? parsed.data.ids[0] : undefined);
  return result;
}

export async function deleteDealsAction(input: { ids: string[] }): Promise<ActionResult<unknown>> {
  const { session, error } = await authorize("records.delete");
  if (error) return error;
  const parsed = bulkIdsSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await run(session, "Deleting", (tx) => service.deleteDeals(tx, parsed.data.ids));
  if (result.ok) revalidateDeals();
  return result;
}

export async function assignDealsAction(input: { ids: string[]; userId: string | null }): Promise<ActionResult<unknown>> {
  const { session, error } = await authorize("records.assign");
  if (error) return error;
  const parsed = bulkAssignSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await run(session, "Assigning", (tx) => service.assignDeals(tx, parsed.data.ids, parsed.data.userId));
  if (result.ok) revalidateDeals();
  return result;
}

export async function tagDealsAction(input: { ids: string[]; tag: string }): Promise<ActionResult<unknown>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const parsed = bulkTagSchema.safeParse(input);
  if (!parsed.success) return invalid(parsed.error.issues);
  const result = await run(session, "Tagging", (tx) => service.tagDeals(tx, parsed.data.ids, parsed.data.tag));
  if (result.ok) revalidateDeals();
  return result;
}

/** One field of a deal edited in place: a cell of the deals list or a property of its page. */
export async function editDealCellAction(id: string, fieldKey: string, value: string | null): Promise<ActionResult<unknown>> {
  const { session, error } = await authorize("records.work");
  if (error) return error;
  const ref = dealIdSchema.safeParse({ id });
  if (!ref.success) return invalid(ref.error.issues);
  const result = await run(session, "Saving", (tx) => service.updateDealField(tx, ref.data.id, fieldKey, value));
  if (result.ok) revalidateDeals(ref.data.id);
  return result;
}

export async function searchLinkableAction(
  kind: "company" | "person",
  q: string,
  companyId?: string | null,
): Promise<{ id: string; name: string }[]> {
  const session = await getSession();
  if (!session || (kind !== "company" && kind !== "person")) return [];
  const company = companyId == null ? undefined : z.uuid().safeParse(companyId);
  if (company && !company.success) return [];
  return asMember(session, (tx) => searchLinkable(tx, kind, String(q).slice(0, 100), company?.data));
}
