"use server";

import { recordActions } from "@/modules/crm/records";
import {
  archivePeople,
  assignPeople,
  createPerson as create,
  deletePeople,
  restorePeople,
  tagPeople,
  updatePerson as update,
  updatePersonField,
} from "./service";

const people = recordActions("/people");

export async function createPerson(input: unknown) {
  return people.create("Creating the person failed.", (tx, actor) => create(tx, actor, input));
}

export async function updatePerson(id: string, input: unknown) {
  return people.change(id, "Saving the person failed.", (tx, actor) => update(tx, actor, id, input));
}

export async function editPersonCell(id: string, fieldKey: string, value: string | null) {
  return people.change(id, "Saving the change failed.", (tx, actor) => updatePersonField(tx, actor, id, fieldKey, value));
}

export async function archivePeopleAction(input: { ids: string[] }) {
  return people.archive(input, archivePeople);
}

export async function restorePeopleAction(input: { ids: string[] }) {
  return people.restore(input, restorePeople);
}

export async function deletePeopleAction(input: { ids: string[] }) {
  return people.remove(input, deletePeople);
}

export async function assignPeopleAction(input: { ids: string[]; userId: string | null }) {
  return people.assign(input, assignPeople);
}

export async function tagPeopleAction(input: { ids: string[]; tag: string }) {
  return people.tag(input, tagPeople);
}
