"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import {
  checkFilter,
  type FieldOption,
  type Filter,
  filterSchema,
  LIST_OPS,
  type ListField,
  ME,
  type Op,
  opLabel,
  opsFor,
  VALUELESS_OPS,
} from "@/modules/crm/lists/ui";
import { TagValuesInput } from "./tag-values";
import type { ListMember } from "./types";

/** Ops offered in the builder: a relation without known choices can only be tested for presence. */
function builderOps(field: ListField): readonly Op[] {
  const ops = opsFor(field.type);
  if (field.type === "relation" && !field.options?.length) return ops.filter((o) => VALUELESS_OPS.includes(o));
  return ops;
}

function choicesFor(field: ListField, members: ListMember[]): FieldOption[] | null {
  if (field.type === "user") return [{ value: ME, label: "Me" }, ...members.map((m) => ({ value: m.id, label: m.name }))];
  if (field.options?.length && ["select", "multi_select", "tags", "relation"].includes(field.type)) return field.options;
  return null;
}

function inputType(field: ListField) {
  switch (field.type) {
    case "number":
    case "money":
      return "number";
    case "date":
    case "datetime":
      return "date";
    default:
      return "text";
  }
}

/** Tags without fixed choices are picked from the org's existing tags as the user types. */
const suggestsTags = (field: ListField, suggest: unknown, choices: FieldOption[] | null) => field.type === "tags" && !!suggest && !choices;

/** What the builder starts from: an applied filter being edited, or the first field's first op. */
function startingPoint(filterable: ListField[], props: FilterBuilderProps) {
  const field = filterable.find((f) => f.key === props.initial?.field) ?? filterable[0];
  const f = field && props.initial?.field === field.key && builderOps(field).includes(props.initial.op) ? props.initial : undefined;
  const list = Array.isArray(f?.value) ? f.value : [];
  // A list of values is edited as the builder shows it: ticked choices, tag chips or comma-separated text.
  const choices = field ? choicesFor(field, props.members) : null;
  const picked = !!field && (!!choices || suggestsTags(field, props.suggestTags, choices));
  return {
    fieldKey: field?.key ?? "",
    op: f?.op ?? (field ? builderOps(field)[0] : "eq"),
    value: typeof f?.value === "string" ? f.value : picked ? "" : list.join(", "),
    values: picked ? list : [],
  };
}

interface FilterBuilderProps {
  fields: ListField[];
  members: ListMember[];
  /** An applied filter to change (its chip was clicked); the builder starts from it. */
  initial?: Filter;
  /** The org's tags holding the typed text (for tag fields). */
  suggestTags?: (q: string) => Promise<string[]>;
  onApply: (f: Filter) => void;
}

/** Pick a field, then an operator, then a value fitting the field's type. */
export function FilterBuilder(props: FilterBuilderProps) {
  const id = useId();
  const filterable = props.fields.filter((f) => f.filterable && builderOps(f).length > 0);
  const [start] = useState(() => startingPoint(filterable, props));
  const [fieldKey, setFieldKey] = useState(start.fieldKey);
  const field = filterable.find((f) => f.key === fieldKey);
  const ops = field ? builderOps(field) : [];
  const [op, setOp] = useState<Op>(start.op);
  const [value, setValue] = useState(start.value);
  const [values, setValues] = useState<string[]>(start.values);
  const [error, setError] = useState<string | null>(null);

  if (!field) return <p className="text-sm text-muted-foreground">No fields can be filtered on.</p>;

  const choices = choicesFor(field, props.members);
  const isList = LIST_OPS.includes(op);
  const needsValue = !VALUELESS_OPS.includes(op);
  const tagInput = isList && suggestsTags(field, props.suggestTags, choices);

  function pickField(key: string) {
    setFieldKey(key);
    const next = filterable.find((f) => f.key === key);
    setOp(next ? builderOps(next)[0] : "eq");
    setValue("");
    setValues([]);
    setError(null);
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!field) return;
    const typed = value.split(",").map((v) => v.trim()).filter(Boolean);
    const raw = !needsValue
      ? undefined
      : isList
        ? choices
          ? values
          : tagInput
            ? [...new Set([...values, ...typed])]
            : typed
        : value.trim();
    const parsed = filterSchema.safeParse({ field: field.key, op, value: raw });
    if (!parsed.success) {
      setError(isList ? "Choose at least one value" : "Enter a value");
      return;
    }
    const problem = checkFilter(field, parsed.data);
    if (problem) {
      setError(problem);
      return;
    }
    props.onApply(parsed.data);
  }

  const errorId = `${id}-error`;
  return (
    <form onSubmit={submit} className="grid gap-3" noValidate>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-field`}>Field</Label>
        <NativeSelect id={`${id}-field`} value={field.key} onChange={(e) => pickField(e.target.value)}>
          {filterable.map((f) => (
            <option key={f.key} value={f.key}>
              {f.label}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={`${id}-op`}>Condition</Label>
        <NativeSelect
          id={`${id}-op`}
          value={op}
          onChange={(e) => {
            setOp(e.target.value as Op);
            setError(null);
          }}
        >
          {ops.map((o) => (
            <option key={o} value={o}>
              {opLabel(o, field.type)}
            </option>
          ))}
        </NativeSelect>
      </div>
      {needsValue ? (
        isList && choices ? (
          <fieldset className="grid gap-1.5" aria-describedby={error ? errorId : undefined}>
            <legend className="mb-1.5 text-sm font-medium">Values</legend>
            <div className="grid max-h-48 gap-1 overflow-y-auto rounded-md border p-2">
              {choices.map((c) => {
                const cid = `${id}-v-${c.value}`;
                return (
                  <div key={c.value} className="flex items-center gap-2">
                    <Checkbox
                      id={cid}
                      checked={values.includes(c.value)}
                      onCheckedChange={(on) =>
                        setValues((vs) => (on === true ? [...vs, c.value] : vs.filter((v) => v !== c.value)))
                      }
                    />
                    <Label htmlFor={cid} className="font-normal">
                      {c.label}
                    </Label>
                  </div>
                );
              })}
            </div>
          </fieldset>
        ) : (
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-value`}>{isList && !tagInput ? "Values (comma-separated)" : isList ? "Values" : "Value"}</Label>
            {tagInput ? (
              <TagValuesInput
                id={`${id}-value`}
                values={values}
                onValuesChange={(vs) => {
                  setValues(vs);
                  setError(null);
                }}
                text={value}
                onTextChange={(t) => {
                  setValue(t);
                  setError(null);
                }}
                suggest={props.suggestTags!}
                invalid={!!error}
                describedBy={error ? errorId : undefined}
              />
            ) : choices && !isList ? (
              <NativeSelect
                id={`${id}-value`}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                aria-invalid={!!error}
                aria-describedby={error ? errorId : undefined}
              >
                <option value="">Choose…</option>
                {choices.map((c) => (
                  <option key={c.value} value={c.value}>
                    {c.label}
                  </option>
                ))}
              </NativeSelect>
            ) : (
              <Input
                id={`${id}-value`}
                type={isList ? "text" : inputType(field)}
                step={inputType(field) === "number" ? "any" : undefined}
                inputMode={inputType(field) === "number" ? "decimal" : undefined}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                aria-invalid={!!error}
                aria-describedby={error ? errorId : undefined}
                autoComplete="off"
              />
            )}
            {field.type === "money" ? <p className="text-xs text-muted-foreground">In whole currency units, e.g. 1000.</p> : null}
          </div>
        )
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
      <Button type="submit" size="sm">
        {props.initial ? "Update filter" : "Apply filter"}
      </Button>
    </form>
  );
}
