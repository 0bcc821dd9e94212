// Server face of crm/notes: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { createNoteSchema, MAX_NOTE_HTML, updateNoteSchema } from "./schema";
export { createNote, deleteNote, updateNote } from "./service";
