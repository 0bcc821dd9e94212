"use client";

import { CheckIcon, PencilIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useRef, useState, useTransition } from "react";
import { type Editing, InlineEditor } from "@/components/data-table/inline-edit";
import type { ActionResult } from "@/lib/action-result";
import type { FieldType, ListField } from "@/modules/crm/lists/ui";

/** A property a record's page edits in place, with the types the list's cell editor knows. */
export interface PropertyField {
  /** The record's inline edit key, as its list cells use it (custom fields `custom.<key>`). */
  key: string;
  type: Extract<FieldType, "text" | "email" | "phone" | "url" | "number" | "date" | "select" | "user">;
  options?: { value: string; label: string }[];
}

export interface RecordProperty {
  label: string;
  /** How the value reads (links, formatting); empty shows a dash. */
  display: ReactNode;
  /** Set when the property is edited in place. */
  field?: PropertyField;
  /** The editor's string for the stored value (date `YYYY-MM-DD`, option value, member id). */
  value?: string | null;
}

/** Saves one property; the record's list cells use the same action. */
export type PropertyAction = (id: string, fieldKey: string, value: string | null) => Promise<ActionResult<unknown>>;

const isEmpty = (v: ReactNode) => v === null || v === undefined || v === "" || v === false;

/** A just-saved value as text, until the refreshed page brings its display. */
function savedText(field: PropertyField, value: string | null, members: { id: string; name: string }[]): string | null {
  if (value === null) return null;
  if (field.type === "select") return field.options?.find((o) => o.value === value)?.label ?? value;
  if (field.type === "user") return members.find((m) => m.id === value)?.name ?? value;
  return value;
}

/**
 * A record's properties as label/value rows, each edited in place as a list
 * cell is: click the value (or its pencil), then Enter saves, Escape cancels
 * and leaving the box saves. A saved property says so beside its value; a
 * refusal keeps the editor open with the server's message on the field.
 */
export function RecordProperties(props: {
  recordId: string;
  /** The record's name, for the editors' labels ("Title of Rita Rocket"). */
  recordTitle: string;
  action: PropertyAction;
  members: { id: string; name: string }[];
  items: RecordProperty[];
}) {
  const router = useRouter();
  const [editing, setEditing] = useState<Editing | null>(null);
  // Saved values until the refreshed page arrives.
  const [saved, setSaved] = useState<ReadonlyMap<string, string | null>>(new Map());
  const [confirmed, setConfirmed] = useState<string | null>(null);
  const [, start] = useTransition();
  const list = useRef<HTMLDListElement>(null);
  const refocus = useRef<string | null>(null);
  const attempts = useRef(0);

  useEffect(() => setSaved(new Map()), [props.items]);

  useEffect(() => {
    const key = refocus.current;
    if (editing || !key) return;
    refocus.current = null;
    // Only when the closing editor had the focus, not when it closed because the user went elsewhere.
    if (document.activeElement && document.activeElement !== document.body) return;
    list.current?.querySelector<HTMLButtonElement>(`button[data-edit="${CSS.escape(key)}"]`)?.focus();
  }, [editing]);

  function open(item: RecordProperty & { field: PropertyField }) {
    const value = saved.has(item.field.key) ? saved.get(item.field.key) : item.value;
    setConfirmed(null);
    setEditing({
      rowId: props.recordId,
      field: { ...item.field, label: item.label, sortable: false, filterable: false } satisfies ListField,
      rowTitle: props.recordTitle,
      draft: value ?? "",
      error: null,
      saving: false,
      attempt: ++attempts.current,
    });
  }

  function close() {
    setEditing((e) => {
      if (e) refocus.current = e.field.key;
      return null;
    });
  }

  function save(current: Editing, raw: string, original: unknown) {
    const { field } = current;
    const value = raw.trim() === "" ? null : field.type === "number" ? raw.trim() : raw;
    if ((value ?? "") === (original ?? "")) {
      close();
      return;
    }
    setEditing({ ...current, draft: raw, error: null, saving: true });
    start(async () => {
      const r = await props.action(props.recordId, field.key, value);
      if (r.ok) {
        setSaved((m) => new Map(m).set(field.key, value));
        setConfirmed(field.key);
        close();
        router.refresh();
        return;
      }
      const error = r.fieldErrors?.[field.key] ?? r.fieldErrors?.value ?? r.error;
      setEditing({ ...current, draft: raw, error, saving: false, attempt: ++attempts.current });
    });
  }

  return (
    <dl ref={list} className="grid gap-3 text-sm">
      {props.items.map((item) => {
        const field = item.field;
        const shown = field && saved.has(field.key) ? savedText(field, saved.get(field.key)!, props.members) : item.display;
        const value = isEmpty(shown) ? <span className="text-muted-foreground">—</span> : shown;
        return (
          <div key={item.label} className="grid grid-cols-[8rem_1fr] items-start gap-2">
            <dt className="py-0.5 text-muted-foreground">{item.label}</dt>
            <dd className="min-w-0 break-words">
              {!field ? (
                <div className="py-0.5">{value}</div>
              ) : editing?.field.key === field.key ? (
                <InlineEditor
                  key={editing.attempt}
                  editing={editing}
                  original={saved.has(field.key) ? saved.get(field.key) : item.value}
                  members={props.members}
                  onSave={save}
                  onCancel={close}
                />
              ) : (
                <div
                  className="group -mx-1 flex min-h-7 cursor-text items-start gap-1 rounded-sm px-1 py-0.5 hover:bg-muted/60"
                  onClick={(e) => {
                    // Links and buttons in the value (mail, phone, web, click-to-call) still do theirs; the rest of the row edits.
                    if (!(e.target as Element).closest("a, button:not([data-edit])")) open({ ...item, field });
                  }}
                >
                  <div className="min-w-0 flex-1">{value}</div>
                  {confirmed === field.key ? (
                    <span role="status" className="inline-flex shrink-0 items-center gap-0.5 text-xs text-muted-foreground">
                      <CheckIcon aria-hidden className="size-3.5" />
                      Saved
                    </span>
                  ) : null}
                  <button
                    type="button"
                    data-edit={field.key}
                    aria-label={`Edit ${item.label}`}
                    className="shrink-0 rounded-sm p-1 text-muted-foreground opacity-0 outline-none group-hover:opacity-100 hover:bg-accent hover:text-accent-foreground focus-visible:opacity-100 focus-visible:ring-[3px] focus-visible:ring-ring/50"
                  >
                    <PencilIcon aria-hidden className="size-3.5" />
                  </button>
                </div>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
