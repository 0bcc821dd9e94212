import { deleteNote, getNote, updateNote } from "@/modules/api/resources/notes";

export const GET = getNote.handler;
export const PATCH = updateNote.handler;
export const DELETE = deleteNote.handler;
