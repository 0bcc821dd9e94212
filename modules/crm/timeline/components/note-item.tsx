"use client";

import type { TimelineNote } from "../queries";
import type { TimelineViewer } from "./timeline-items";

/** A note in the timeline. Its HTML was sanitised on the server before it was stored. */
export function NoteItemBody({ note }: { note: TimelineNote; viewer: TimelineViewer }) {
  return (
    <div className="rounded-md border bg-card px-3 py-2 text-sm">
      <div
        className="break-words [&_a]:text-primary [&_a]:underline [&_blockquote]:border-l-2 [&_blockquote]:pl-3 [&_blockquote]:text-muted-foreground [&_ol]:list-decimal [&_ol]:pl-5 [&_p]:my-1 [&_ul]:list-disc [&_ul]:pl-5"
        dangerouslySetInnerHTML={{ __html: note.html }}
      />
      {note.edited ? <p className="mt-1 text-xs text-muted-foreground">Edited</p> : null}
    </div>
  );
}
