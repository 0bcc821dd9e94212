import { createNote, listNotes } from "@/modules/api/resources/notes";

export const GET = listNotes.handler;
export const POST = createNote.handler;
