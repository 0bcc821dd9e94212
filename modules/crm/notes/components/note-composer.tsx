"use client";

import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { RichTextEditor } from "@/components/editor/rich-text-editor";
import { Button } from "@/components/ui/button";
import type { RecordRef } from "@/modules/crm/records/ui";
import { addNote } from "../actions";

/** Writes a note on a record, saved by the button or Ctrl/⌘-Enter; the editor empties after a save. */
export function NoteComposer({ subject }: { subject: RecordRef }) {
  const [html, setHtml] = useState("");
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const id = useId();

  const save = () => {
    if (pending) return;
    setError(null);
    start(async () => {
      const result = await addNote({ subject, html });
      if (result.ok) {
        setHtml("");
        setVersion((v) => v + 1);
        toast.success("Note saved");
      } else {
        setError(result.fieldErrors?.html ?? result.error);
      }
    });
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      className="grid gap-2"
      noValidate
    >
      <label htmlFor={`${id}-note`} className="sr-only">
        Note
      </label>
      <RichTextEditor
        key={version}
        id={`${id}-note`}
        placeholder="Write a note…"
        onChange={setHtml}
        onSubmitShortcut={save}
        disabled={pending}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <div>
        <Button type="submit" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Save note"}
        </Button>
      </div>
    </form>
  );
}
