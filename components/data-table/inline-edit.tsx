"use client";

import { PencilIcon } from "lucide-react";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import type { FieldType, ListField } from "@/modules/crm/lists/fields";
import { cn } from "@/lib/utils";
import type { InlineEditAction, ListMember } from "./types";

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

/**
 * A cell that can be edited in place: double-click it, or use its edit
 * button (Enter/Space). Enter saves, Escape cancels; the new value shows at
 * once and the server's message appears under the editor if it refuses.
 */
export function EditableCell(props: {
  field: ListField;
  rowId: string;
  rowTitle: string;
  value: unknown;
  members: ListMember[];
  action: InlineEditAction;
  onSaved: () => void;
  children: (value: unknown) => React.ReactNode;
}) {
  const { field } = props;
  const id = useId();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  // The saved value until the refreshed row arrives.
  const [optimistic, setOptimistic] = useState<{ value: unknown } | null>(null);
  const [pending, start] = useTransition();
  const editButton = useRef<HTMLButtonElement>(null);
  // Set once the editor has saved or cancelled, so the blur of its closing does not save again.
  const settled = useRef(false);
  const shown = optimistic ? optimistic.value : props.value;
  const valueKey = JSON.stringify(props.value ?? null);

  useEffect(() => setOptimistic(null), [valueKey]);

  // Back to the edit button once the editor closes, so keyboard users keep their place.
  const refocus = useRef(false);
  useEffect(() => {
    if (!editing && refocus.current) {
      refocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);

  function open() {
    settled.current = false;
    setDraft(editText(field, shown));
    setError(null);
    setEditing(true);
  }

  function close() {
    settled.current = true;
    refocus.current = true;
    setEditing(false);
    setError(null);
  }

  function save(raw: string) {
    if (settled.current) return;
    settled.current = true;
    const value = raw.trim() === "" ? null : field.type === "number" ? raw.trim() : raw;
    if ((value ?? "") === editText(field, props.value)) {
      close();
      return;
    }
    setOptimistic({ value });
    refocus.current = true;
    setEditing(false);
    start(async () => {
      const r = await props.action(props.rowId, field.key, value);
      if (r.ok) props.onSaved();
      else {
        setOptimistic(null);
        setDraft(raw);
        setError(r.fieldErrors?.[field.key] ?? r.fieldErrors?.value ?? r.error);
        settled.current = false;
        setEditing(true);
      }
    });
  }

  const label = `${field.label} of ${props.rowTitle}`;

  if (editing) {
    const common = {
      id: `${id}-edit`,
      "aria-label": label,
      "aria-invalid": !!error,
      "aria-describedby": error ? `${id}-error` : undefined,
      autoFocus: true,
      disabled: pending,
      onKeyDown: (e: React.KeyboardEvent) => {
        if (e.key === "Escape") {
          e.preventDefault();
          e.stopPropagation();
          close();
        } else if (e.key === "Enter") {
          e.preventDefault();
          save(draft);
        }
      },
    };
    return (
      <div className="grid min-w-40 gap-1" onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget) && !error) save(draft);
        }}>
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
            {(field.type === "user" ? props.members.map((m) => ({ value: m.id, label: m.name })) : (field.options ?? [])).map(
              (o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ),
            )}
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
          <p id={`${id}-error`} role="alert" className="text-xs whitespace-normal text-destructive">
            {error}
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <div className={cn("group/cell flex min-h-8 items-center gap-1", pending && "opacity-60")} onDoubleClick={open}>
      <div className="min-w-0 truncate">{props.children(shown)}</div>
      <button
        ref={editButton}
        type="button"
        onClick={open}
        aria-label={`Edit ${label}`}
        className="ml-auto rounded-sm p-1 text-muted-foreground opacity-0 outline-none group-hover/cell:opacity-100 hover:bg-accent hover:text-accent-foreground focus-visible:opacity-100 focus-visible:ring-[3px] focus-visible:ring-ring/50"
      >
        <PencilIcon aria-hidden className="size-3.5" />
      </button>
    </div>
  );
}
