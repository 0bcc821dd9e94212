"use client";

import { useCallback, useEffect, useId, useRef, useState, useTransition } from "react";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import type { FieldType, ListField } from "@/modules/crm/lists/ui";
import type { InlineEditAction, ListMember, ListRow } from "./types";

/** Field types edited in place; others open the record. */
export const INLINE_EDIT_TYPES: readonly FieldType[] = ["text", "email", "phone", "url", "number", "date", "select", "user"];

export function canEditInline(field: ListField, action: InlineEditAction | undefined): boolean {
  return !!action && !!field.editable && INLINE_EDIT_TYPES.includes(field.type);
}

/** The editor's string for a value (what an input shows). */
function editText(field: ListField, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (field.type === "date") return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
  return String(value);
}

const INPUT_TYPES: Partial<Record<FieldType, string>> = { email: "email", phone: "tel", url: "url", number: "number", date: "date" };

const cellKey = (rowId: string, fieldKey: string) => `${rowId}\u0000${fieldKey}`;

export interface Editing {
  rowId: string;
  field: ListField;
  rowTitle: string;
  draft: string;
  error: string | null;
  /** The value is on its way to the server: the editor stays, disabled, until it is saved. */
  saving: boolean;
  /** Bumped on every opening so a reopened editor starts from its props again. */
  attempt: number;
}

/**
 * Inline edit for a whole list: at most one cell is open at a time, so the
 * cells themselves stay plain markup (a value and an edit button) and only
 * the open cell renders an editor. Enter saves, Escape cancels, leaving the
 * editor saves. The cell shows the new value once the server has it (until
 * the refreshed rows arrive); a refusal keeps the editor open with the
 * server's message.
 */
export function useInlineEdit(opts: { action?: InlineEditAction; rows: ListRow[]; onSaved: () => void }) {
  const { action, onSaved } = opts;
  const [editing, setEditing] = useState<Editing | null>(null);
  // Saved values until the refreshed rows arrive.
  const [saved, setSaved] = useState<ReadonlyMap<string, unknown>>(new Map());
  const [, start] = useTransition();
  const container = useRef<HTMLDivElement>(null);
  // The cell whose edit button takes the focus back once its editor closes.
  const refocus = useRef<{ rowId: string; key: string } | null>(null);
  const attempts = useRef(0);

  useEffect(() => setSaved(new Map()), [opts.rows]);

  useEffect(() => {
    const target = refocus.current;
    if (editing || !target) return;
    refocus.current = null;
    container.current
      ?.querySelector<HTMLButtonElement>(`tr[data-row="${CSS.escape(target.rowId)}"] button[data-edit="${CSS.escape(target.key)}"]`)
      ?.focus();
  }, [editing]);

  const open = useCallback((rowId: string, field: ListField, rowTitle: string, value: unknown) => {
    setEditing({ rowId, field, rowTitle, draft: editText(field, value), error: null, saving: false, attempt: ++attempts.current });
  }, []);

  const close = useCallback(() => {
    setEditing((e) => {
      if (e) refocus.current = { rowId: e.rowId, key: e.field.key };
      return null;
    });
  }, []);

  const save = useCallback(
    (current: Editing, raw: string, original: unknown) => {
      const { rowId, field } = current;
      const value = raw.trim() === "" ? null : field.type === "number" ? raw.trim() : raw;
      if ((value ?? "") === editText(field, original) || !action) {
        close();
        return;
      }
      setEditing({ ...current, draft: raw, error: null, saving: true });
      start(async () => {
        const r = await action(rowId, field.key, value);
        if (r.ok) {
          setSaved((m) => new Map(m).set(cellKey(rowId, field.key), value));
          close();
          onSaved();
          return;
        }
        const error = r.fieldErrors?.[field.key] ?? r.fieldErrors?.value ?? r.error;
        setEditing({ ...current, draft: raw, error, saving: false, attempt: ++attempts.current });
      });
    },
    [action, close, onSaved],
  );

  return {
    container,
    editing,
    open,
    close,
    save,
    /** The value a cell shows: the saved one while the refresh is under way. */
    valueOf: (rowId: string, key: string, value: unknown) => {
      const k = cellKey(rowId, key);
      return saved.has(k) ? saved.get(k) : value;
    },
    isEditing: (rowId: string, key: string) => editing?.rowId === rowId && editing.field.key === key,
  };
}

export type InlineEdit = ReturnType<typeof useInlineEdit>;

/** The open cell's editor: a text/number/date input, or a select for options and members. */
export function InlineEditor(props: {
  editing: Editing;
  original: unknown;
  members: ListMember[];
  onSave: (editing: Editing, raw: string, original: unknown) => void;
  onCancel: () => void;
}) {
  const { editing, original } = props;
  const { field } = editing;
  const id = useId();
  const [draft, setDraft] = useState(editing.draft);
  const [error, setError] = useState(editing.error);
  // Set once the editor has saved or cancelled, so the blur of its closing does not save again.
  const settled = useRef(false);
  const label = `${field.label} of ${editing.rowTitle}`;

  function save(raw: string) {
    if (settled.current) return;
    settled.current = true;
    props.onSave(editing, raw, original);
  }

  const common = {
    id: `${id}-edit`,
    "aria-label": label,
    "aria-invalid": !!error,
    "aria-describedby": error ? `${id}-error` : undefined,
    autoFocus: true,
    disabled: editing.saving,
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        settled.current = true;
        props.onCancel();
      } else if (e.key === "Enter") {
        e.preventDefault();
        save(draft);
      }
    },
  };
  return (
    <div
      data-editor
      className="grid min-w-40 gap-1 whitespace-normal"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget) && !error) save(draft);
      }}
    >
      {field.type === "select" || field.type === "user" ? (
        <NativeSelect
          {...common}
          className="h-8"
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            save(e.target.value);
          }}
        >
          <option value="">{field.type === "user" ? "No one" : "None"}</option>
          {(field.type === "user" ? props.members.map((m) => ({ value: m.id, label: m.name })) : (field.options ?? [])).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </NativeSelect>
      ) : (
        <Input
          {...common}
          className="h-8"
          type={INPUT_TYPES[field.type] ?? "text"}
          step={field.type === "number" ? "any" : undefined}
          value={draft}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(null);
          }}
        />
      )}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-destructive">
          {error}
        </p>
      ) : null}
    </div>
  );
}
