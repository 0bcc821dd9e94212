"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { RichText } from "@/components/editor/rich-text";
import { RichTextEditor } from "@/components/editor/rich-text-editor";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { editNote, removeNote } from "@/modules/crm/notes/ui";
import type { TimelineNote } from "../queries";
import type { TimelineViewer } from "./timeline-items";

/**
 * A note in the timeline. Its HTML was sanitised on the server before it
 * was stored. Its author, and owners and admins, may edit or delete it (the
 * database enforces the same rule).
 */
export function NoteItemBody({ note, viewer }: { note: TimelineNote; viewer: TimelineViewer }) {
  const [editing, setEditing] = useState(false);
  const [html, setHtml] = useState(note.html);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const mayChange = viewer.moderates || (note.authorId !== null && note.authorId === viewer.userId);

  const save = () =>
    start(async () => {
      setError(null);
      const result = await editNote({ id: note.id, html });
      if (result.ok) {
        setEditing(false);
        toast.success("Note saved");
      } else setError(result.fieldErrors?.html ?? result.error);
    });

  const remove = () =>
    start(async () => {
      const result = await removeNote({ id: note.id });
      if (result.ok) toast.success("Note deleted");
      else toast.error(result.error);
    });

  if (editing) {
    return (
      <div className="grid gap-2">
        <RichTextEditor
          aria-label="Edit note"
          defaultValue={note.html}
          onChange={setHtml}
          onSubmitShortcut={save}
          autoFocus
          disabled={pending}
          aria-invalid={!!error}
        />
        {error ? (
          <p role="alert" className="text-sm text-destructive">
            {error}
          </p>
        ) : null}
        <div className="flex gap-2">
          <Button size="sm" onClick={save} disabled={pending}>
            {pending ? "Saving…" : "Save"}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setEditing(false)} disabled={pending}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="rounded-md border bg-card px-3 py-2">
      <RichText html={note.html} />
      <div className="mt-1 flex items-center gap-1 text-xs text-muted-foreground">
        {note.edited ? <span className="mr-auto">Edited</span> : <span className="mr-auto" />}
        {mayChange ? (
          <>
            <Button size="sm" variant="ghost" className="h-7 px-2 text-xs" onClick={() => setEditing(true)}>
              Edit<span className="sr-only"> note</span>
            </Button>
            <AlertDialog>
              <AlertDialogTrigger asChild>
                <Button size="sm" variant="ghost" className="h-7 px-2 text-xs text-destructive" disabled={pending}>
                  Delete<span className="sr-only"> note</span>
                </Button>
              </AlertDialogTrigger>
              <AlertDialogContent>
                <AlertDialogHeader>
                  <AlertDialogTitle>Delete this note?</AlertDialogTitle>
                  <AlertDialogDescription>It disappears from every timeline it shows on. This cannot be undone.</AlertDialogDescription>
                </AlertDialogHeader>
                <AlertDialogFooter>
                  <AlertDialogCancel>Cancel</AlertDialogCancel>
                  <AlertDialogAction onClick={remove}>Delete</AlertDialogAction>
                </AlertDialogFooter>
              </AlertDialogContent>
            </AlertDialog>
          </>
        ) : null}
      </div>
    </div>
  );
}
