// Browser-safe face of crm/people: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { archivePeopleAction, assignPeopleAction, deletePeopleAction, editPersonCell, restorePeopleAction, tagPeopleAction } from "./actions";
export { EditPersonButton } from "./components/edit-person-button";
export { NewPersonButton } from "./components/new-person-button";
export { personCreateSchema, personUpdateSchema } from "./schema";
