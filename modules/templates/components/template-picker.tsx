"use client";

import { useCallback, useRef, useState } from "react";
import { type ComboboxChoice, SearchCombobox } from "@/components/forms/search-combobox";
import { Label } from "@/components/ui/label";
import { fillTemplateAction, listTemplatesAction } from "../actions";
import { listTokens } from "../engine";
import type { TemplateChannel, TemplateRecordRef } from "../schema";
import type { FilledTemplate, MessageTemplate } from "../service";

/**
 * "Template" in a compose drawer: the org's templates of the channel,
 * searched by name; the one picked is filled with the record's values on the
 * server and handed to the drawer, which shows it for editing before it is
 * sent. What the record has no value for is said beside it.
 */
export function TemplatePicker(props: {
  id: string;
  channel: TemplateChannel;
  record: TemplateRecordRef;
  onApply: (filled: FilledTemplate, template: ComboboxChoice) => void;
  disabled?: boolean;
}) {
  const { channel, record, onApply } = props;
  const [choice, setChoice] = useState<ComboboxChoice | null>(null);
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  const loaded = useRef<Promise<MessageTemplate[]> | null>(null);

  const search = useCallback(
    async (term: string) => {
      loaded.current ??= listTemplatesAction(channel).then((r) => {
        if (r.ok) return r.data;
        loaded.current = null;
        setNote({ error: true, text: r.error });
        return [];
      });
      const needle = term.trim().toLowerCase();
      return (await loaded.current)
        .filter((t) => !needle || t.name.toLowerCase().includes(needle) || (t.subject ?? "").toLowerCase().includes(needle))
        .map((t) => ({ id: t.id, name: t.name, detail: t.createdByName ? `by ${t.createdByName}` : null }));
    },
    [channel],
  );

  async function pick(next: ComboboxChoice | null) {
    setChoice(next);
    setNote(null);
    if (!next) return;
    const r = await fillTemplateAction({ templateId: next.id, record });
    if (!r.ok) {
      setNote({ error: true, text: r.error });
      return;
    }
    onApply(r.data, next);
    if (r.data.missing.length) {
      setNote({
        error: false,
        text: `This record has no value for ${listTokens(r.data.missing)}: replace ${r.data.missing.length === 1 ? "it" : "them"} before sending.`,
      });
    }
  }

  return (
    <div className="grid gap-1.5">
      <Label htmlFor={props.id}>Template</Label>
      <SearchCombobox
        id={props.id}
        value={choice}
        onChange={(v) => void pick(v)}
        search={search}
        placeholder="Start from a template…"
        listLabel="Templates"
        emptyText="No template matches"
        clearLabel="Clear template"
        aria-describedby={note ? `${props.id}-note` : undefined}
      />
      {note ? (
        <p id={`${props.id}-note`} role={note.error ? "alert" : "status"} data-testid="template-note" className={note.error ? "text-sm text-destructive" : "text-sm text-amber-700 dark:text-amber-400"}>
          {note.text}
        </p>
      ) : null}
    </div>
  );
}
