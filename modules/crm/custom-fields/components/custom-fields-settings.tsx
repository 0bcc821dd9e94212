"use client";

import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ActionResult } from "@/lib/action-result";
import { archiveField, createField, deleteField, reorderFields, restoreField, updateField } from "../actions";
import { slugifyKey } from "../schema";
import { type CrmObject, CUSTOM_FIELD_TYPE_LABELS, CUSTOM_FIELD_TYPES, type CustomFieldDef, type CustomFieldType } from "../types";

const OBJECT_NAMES: Record<CrmObject, string> = { person: "people", company: "companies", deal: "deals", lead: "leads" };
const hasOptions = (t: string) => t === "select" || t === "multi_select";

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="text-sm text-destructive">
      {message}
    </p>
  ) : null;
}

interface OptionRow {
  /** Stored value; fixed once saved so records keep pointing at it. */
  value: string | null;
  label: string;
  uid: number;
}

let nextUid = 1;

function FieldDialog(props: {
  objectType: CrmObject;
  field?: CustomFieldDef;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { field, objectType } = props;
  const router = useRouter();
  const id = useId();
  const [label, setLabel] = useState(field?.label ?? "");
  const [key, setKey] = useState(field?.key ?? "");
  const [keyEdited, setKeyEdited] = useState(!!field);
  const [type, setType] = useState<CustomFieldType>(field?.type ?? "text");
  const [required, setRequired] = useState(field?.required ?? false);
  const [options, setOptions] = useState<OptionRow[]>(
    field?.options.map((o) => ({ value: o.value, label: o.label, uid: nextUid++ })) ?? [],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  // The option just added, whose box takes the focus once it is rendered.
  const focusOption = useRef<number | null>(null);

  const optionsError = Object.entries(errors).find(([k]) => k.startsWith("options"))?.[1];

  function addOption() {
    const uid = nextUid++;
    focusOption.current = uid;
    setOptions((current) => [...current, { value: null, label: "", uid }]);
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const opts = options
      .filter((o) => o.label.trim() !== "")
      .map((o) => ({ value: o.value ?? o.label.trim(), label: o.label.trim() }));
    start(async () => {
      const result: ActionResult<CustomFieldDef> = field
        ? await updateField({ id: field.id, label, options: opts, required })
        : await createField({ objectType, label, key, type, options: opts, required });
      if (result.ok) {
        toast.success(field ? `Saved "${result.data.label}"` : `Added "${result.data.label}"`);
        props.onOpenChange(false);
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.fieldErrors && Object.keys(result.fieldErrors).length ? null : result.error);
    });
  }

  const err = (name: string) => ({
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${id}-${name}-error` : undefined,
  });

  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{field ? `Edit "${field.label}"` : `Add a field to ${OBJECT_NAMES[objectType]}`}</DialogTitle>
          <DialogDescription>
            {field
              ? "The key and type are fixed once a field exists; records, filters and imports use them."
              : "The key names the field in filters, imports and the API. It cannot be changed later."}
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <FormError message={formError} />
          <div className="grid gap-2">
            <Label htmlFor={`${id}-label`}>Label</Label>
            <Input
              id={`${id}-label`}
              value={label}
              autoFocus
              maxLength={80}
              onChange={(e) => {
                setLabel(e.target.value);
                if (!keyEdited) setKey(slugifyKey(e.target.value));
              }}
              {...err("label")}
            />
            <FieldError id={`${id}-label-error`} message={errors.label} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-key`}>Key</Label>
            <Input
              id={`${id}-key`}
              value={key}
              disabled={!!field}
              className="font-mono"
              maxLength={40}
              onChange={(e) => {
                setKey(e.target.value);
                setKeyEdited(true);
              }}
              {...err("key")}
            />
            <FieldError id={`${id}-key-error`} message={errors.key} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${id}-type`}>Type</Label>
            <Select value={type} onValueChange={(v) => setType(v as CustomFieldType)} disabled={!!field}>
              <SelectTrigger id={`${id}-type`} className="w-full" {...err("type")}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                {CUSTOM_FIELD_TYPES.map((t) => (
                  <SelectItem key={t} value={t}>
                    {CUSTOM_FIELD_TYPE_LABELS[t]}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            <FieldError id={`${id}-type-error`} message={errors.type} />
          </div>
          {hasOptions(type) ? (
            <fieldset className="grid gap-2" aria-describedby={optionsError ? `${id}-options-error` : undefined}>
              <legend className="mb-2 text-sm font-medium">Options</legend>
              {options.map((o, i) => (
                <div key={o.uid} className="flex items-center gap-2">
                  <Input
                    ref={(box) => {
                      if (box && focusOption.current === o.uid) {
                        focusOption.current = null;
                        box.focus();
                      }
                    }}
                    aria-label={`Option ${i + 1}`}
                    value={o.label}
                    maxLength={100}
                    onChange={(e) => setOptions(options.map((x) => (x.uid === o.uid ? { ...x, label: e.target.value } : x)))}
                    onKeyDown={(e) => {
                      if (e.key === "Enter") {
                        e.preventDefault();
                        addOption();
                      }
                    }}
                  />
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    aria-label={`Remove option ${o.label || i + 1}`}
                    onClick={() => setOptions(options.filter((x) => x.uid !== o.uid))}
                  >
                    <Trash2 />
                  </Button>
                </div>
              ))}
              <div>
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  onClick={addOption}
                >
                  <Plus /> Add option
                </Button>
              </div>
              {field ? (
                <p className="text-sm text-muted-foreground">
                  Renaming an option keeps it on every record. An option still used by records cannot be removed.
                </p>
              ) : null}
              <FieldError id={`${id}-options-error`} message={optionsError} />
            </fieldset>
          ) : null}
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="size-4 accent-primary"
              checked={required}
              onChange={(e) => setRequired(e.target.checked)}
            />
            Required when creating a record
          </label>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => props.onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : field ? "Save field" : "Add field"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function DeleteField({ field, used }: { field: CustomFieldDef; used: number }) {
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  const router = useRouter();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <Button variant="ghost" size="sm" className="text-destructive" onClick={() => setOpen(true)} aria-label={`Delete ${field.label}`}>
        Delete
      </Button>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete &ldquo;{field.label}&rdquo;?</AlertDialogTitle>
          <AlertDialogDescription>
            {used > 0
              ? `Its value is removed from ${used} ${used === 1 ? "record" : "records"}. This cannot be undone.`
              : "No record has a value for it."}{" "}
            To hide the field but keep its values, archive it instead.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            className="bg-destructive text-destructive-foreground hover:bg-destructive/90"
            onClick={(e) => {
              e.preventDefault();
              start(async () => {
                const r = await deleteField({ id: field.id });
                if (r.ok) {
                  toast.success(`Deleted "${field.label}"`);
                  setOpen(false);
                  router.refresh();
                } else toast.error(r.error);
              });
            }}
          >
            {pending ? "Deleting…" : "Delete field and values"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

/** Settings → Custom fields for one object: list, add, edit, reorder, archive, delete. */
export function CustomFieldsSettings(props: { objectType: CrmObject; fields: CustomFieldDef[]; usage: Record<string, number> }) {
  const router = useRouter();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<CustomFieldDef | null>(null);
  const [pending, start] = useTransition();
  const active = props.fields.filter((f) => !f.archivedAt);
  const archived = props.fields.filter((f) => f.archivedAt);

  function act(fn: () => Promise<ActionResult<unknown>>, success?: string) {
    start(async () => {
      const r = await fn();
      if (r.ok) {
        if (success) toast.success(success);
        router.refresh();
      } else toast.error(r.error);
    });
  }

  function move(index: number, by: -1 | 1) {
    const ids = active.map((f) => f.id);
    const [id] = ids.splice(index, 1);
    ids.splice(index + by, 0, id);
    act(() => reorderFields({ objectType: props.objectType, ids }));
  }

  const row = (f: CustomFieldDef, i: number, isArchived: boolean) => (
    <TableRow key={f.id} className={isArchived ? "text-muted-foreground" : undefined}>
      <TableCell className="font-medium">
        {f.label}
        {f.required ? (
          <Badge variant="outline" className="ml-2">
            Required
          </Badge>
        ) : null}
        {isArchived ? (
          <Badge variant="secondary" className="ml-2">
            Archived
          </Badge>
        ) : null}
      </TableCell>
      <TableCell>
        <code className="text-xs">{f.key}</code>
      </TableCell>
      <TableCell>{CUSTOM_FIELD_TYPE_LABELS[f.type]}</TableCell>
      <TableCell className="max-w-64 truncate" title={f.options.map((o) => o.label).join(", ")}>
        {f.options.map((o) => o.label).join(", ")}
      </TableCell>
      <TableCell className="text-right tabular-nums">{props.usage[f.key] ?? 0}</TableCell>
      <TableCell>
        <div className="flex items-center justify-end gap-1">
          {!isArchived ? (
            <>
              <Button variant="ghost" size="icon" aria-label={`Move ${f.label} up`} disabled={pending || i === 0} onClick={() => move(i, -1)}>
                <ArrowUp />
              </Button>
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Move ${f.label} down`}
                disabled={pending || i === active.length - 1}
                onClick={() => move(i, 1)}
              >
                <ArrowDown />
              </Button>
              <Button variant="ghost" size="sm" onClick={() => setEditing(f)} aria-label={`Edit ${f.label}`}>
                Edit
              </Button>
              <Button
                variant="ghost"
                size="sm"
                disabled={pending}
                aria-label={`Archive ${f.label}`}
                onClick={() => act(() => archiveField({ id: f.id }), `Archived "${f.label}"; its values are kept`)}
              >
                Archive
              </Button>
            </>
          ) : (
            <Button
              variant="ghost"
              size="sm"
              disabled={pending}
              aria-label={`Restore ${f.label}`}
              onClick={() => act(() => restoreField({ id: f.id }), `Restored "${f.label}"`)}
            >
              Restore
            </Button>
          )}
          <DeleteField field={f} used={props.usage[f.key] ?? 0} />
        </div>
      </TableCell>
    </TableRow>
  );

  return (
    <div className="grid gap-4">
      <div className="flex items-center justify-between gap-4">
        <p className="text-sm text-muted-foreground">
          {active.length
            ? `${active.length} ${active.length === 1 ? "field" : "fields"} on ${OBJECT_NAMES[props.objectType]}, in form order.`
            : `No custom fields on ${OBJECT_NAMES[props.objectType]} yet.`}
        </p>
        <Button onClick={() => setAdding(true)}>
          <Plus /> Add field
        </Button>
      </div>
      {props.fields.length ? (
        <div className="rounded-md border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Label</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Type</TableHead>
                <TableHead>Options</TableHead>
                <TableHead className="text-right">Records with a value</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {active.map((f, i) => row(f, i, false))}
              {archived.map((f, i) => row(f, i, true))}
            </TableBody>
          </Table>
        </div>
      ) : (
        <div className="rounded-md border border-dashed p-10 text-center text-sm text-muted-foreground">
          Add fields your team needs on every {props.objectType}: a budget, a renewal date, a lead score. They appear on forms,
          detail pages, lists, filters, imports and exports.
        </div>
      )}
      {adding ? <FieldDialog objectType={props.objectType} open onOpenChange={setAdding} /> : null}
      {editing ? (
        <FieldDialog
          key={editing.id}
          objectType={props.objectType}
          field={editing}
          open
          onOpenChange={(open) => !open && setEditing(null)}
        />
      ) : null}
    </div>
  );
}
