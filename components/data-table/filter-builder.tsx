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

/** Pick a field, then an operator, then a value fitting the field's type. */
export function FilterBuilder(props: { fields: ListField[]; members: ListMember[]; onApply: (f: Filter) => void }) {
  const id = useId();
  const filterable = props.fields.filter((f) => f.filterable && builderOps(f).length > 0);
  const [fieldKey, setFieldKey] = useState(filterable[0]?.key ?? "");
  const field = filterable.find((f) => f.key === fieldKey);
  const ops = field ? builderOps(field) : [];
  const [op, setOp] = useState<Op>(ops[0] ?? "eq");
  const [value, setValue] = useState("");
  const [values, setValues] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  if (!field) return <p className="text-sm text-muted-foreground">No fields can be filtered on.</p>;

  const choices = choicesFor(field, props.members);
  const isList = LIST_OPS.includes(op);
  const needsValue = !VALUELESS_OPS.includes(op);

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
    const raw = !needsValue
      ? undefined
      : isList
        ? choices
          ? values
          : value.split(",").map((v) => v.trim()).filter(Boolean)
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
            <Label htmlFor={`${id}-value`}>{isList ? "Values (comma-separated)" : "Value"}</Label>
            {choices && !isList ? (
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
        Apply filter
      </Button>
    </form>
  );
}
