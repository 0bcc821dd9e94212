"use server";

import { runAction } from "@/lib/actions";
import { recordActions } from "@/modules/crm/records";
import { searchCompanies } from "./queries";
import {
  archiveCompanies,
  assignCompanies,
  createCompany as create,
  deleteCompanies,
  restoreCompanies,
  tagCompanies,
  updateCompany as update,
  updateCompanyField,
} from "./service";

const companies = recordActions("/companies");

export async function createCompany(input: unknown) {
  return companies.create("Creating the company failed.", (tx, actor) => create(tx, actor, input));
}

export async function updateCompany(id: string, input: unknown) {
  return companies.change(id, "Saving the company failed.", (tx, actor) => update(tx, actor, id, input));
}

export async function editCompanyCell(id: string, fieldKey: string, value: string | null) {
  return companies.change(id, "Saving the change failed.", (tx, actor) => updateCompanyField(tx, actor, id, fieldKey, value));
}

export async function archiveCompaniesAction(input: { ids: string[] }) {
  return companies.archive(input, archiveCompanies);
}

export async function restoreCompaniesAction(input: { ids: string[] }) {
  return companies.restore(input, restoreCompanies);
}

export async function deleteCompaniesAction(input: { ids: string[] }) {
  return companies.remove(input, deleteCompanies);
}

export async function assignCompaniesAction(input: { ids: string[]; userId: string | null }) {
  return companies.assign(input, assignCompanies);
}

export async function tagCompaniesAction(input: { ids: string[]; tag: string }) {
  return companies.tag(input, tagCompanies);
}

/** Companies for the picker on the person form. */
export async function findCompanies(q: string) {
  return runAction("records.work", "Searching companies failed.", (tx) => searchCompanies(tx, String(q ?? "").slice(0, 200)));
}
