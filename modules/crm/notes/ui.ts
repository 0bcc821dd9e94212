// Browser-safe face of crm/notes: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { editNote, removeNote } from "./actions";
export { NoteComposer } from "./components/note-composer";
