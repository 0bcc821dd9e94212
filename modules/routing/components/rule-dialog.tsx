"use client";
// Add or edit a routing rule: when it applies (every condition must hold; an
// empty one holds for any lead) and what it does with the lead.
import { Pencil, Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { fieldErrorsOf } from "@/lib/action-result";
import { saveRuleAction } from "../actions";
import type { RoutingOptions, RoutingRule } from "../queries";
import { RULE_ACTION_LABELS, RULE_ACTIONS, type RuleAction, ruleSchema } from "../schema";

const splitList = (text: string) =>
  text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="text-sm text-destructive">
      {message}
    </p>
  ) : null;
}

function CheckList(props: {
  legend: string;
  items: { id: string; name: string; note?: string }[];
  value: string[];
  onChange: (v: string[]) => void;
  ordered?: boolean;
  error?: string;
  errorId: string;
}) {
  const base = useId();
  return (
    <fieldset className="grid gap-2" aria-describedby={props.error ? props.errorId : undefined}>
      <legend className="mb-1 text-sm font-medium">{props.legend}</legend>
      {props.items.length === 0 ? <p className="text-sm text-muted-foreground">None yet.</p> : null}
      <div className="grid gap-2 sm:grid-cols-2">
        {props.items.map((item, i) => {
          const at = props.value.indexOf(item.id);
          return (
            <div key={item.id} className="flex items-center gap-2">
              <Checkbox
                id={`${base}-${i}`}
                checked={at >= 0}
                onCheckedChange={(c) =>
                  props.onChange(c ? [...props.value, item.id] : props.value.filter((v) => v !== item.id))
                }
              />
              <Label htmlFor={`${base}-${i}`} className="font-normal">
                {item.name}
                {item.note ? <span className="text-muted-foreground"> ({item.note})</span> : null}
                {props.ordered && at >= 0 ? <span className="text-xs text-muted-foreground"> · tried {ordinal(at + 1)}</span> : null}
              </Label>
            </div>
          );
        })}
      </div>
      <FieldError id={props.errorId} message={props.error} />
    </fieldset>
  );
}

const ordinal = (n: number) => `${n}${n === 1 ? "st" : n === 2 ? "nd" : n === 3 ? "rd" : "th"}`;

function RuleForm({ rule, options, onDone }: { rule?: RoutingRule; options: RoutingOptions; onDone: () => void }) {
  const router = useRouter();
  const id = useId();
  const knownForms = new Set(options.forms.map((f) => f.id));
  const [name, setName] = useState(rule?.name ?? "");
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [sources, setSources] = useState<string[]>(rule?.sources ?? []);
  const [forms, setForms] = useState<string[]>(rule?.form_ids.filter((f) => knownForms.has(f)) ?? []);
  const [otherForms, setOtherForms] = useState((rule?.form_ids.filter((f) => !knownForms.has(f)) ?? []).join(", "));
  const [states, setStates] = useState((rule?.states ?? []).join(", "));
  const [utm, setUtm] = useState<Record<string, string>>(rule?.utm ?? {});
  const [customField, setCustomField] = useState(rule?.custom_field ?? "");
  const [customValue, setCustomValue] = useState(rule?.custom_value ?? "");
  const [action, setAction] = useState<RuleAction>(rule?.action ?? "round_robin");
  const [userIds, setUserIds] = useState<string[]>(rule?.users.map((u) => u.id) ?? []);
  const [partnerIds, setPartnerIds] = useState<string[]>(rule?.partners.map((p) => p.id) ?? []);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  // A choice that fixes a list's error clears it at once, rather than on the next Save.
  const choose = (field: "userIds" | "partnerIds", set: (v: string[]) => void) => (v: string[]) => {
    set(v);
    setErrors(({ [field]: _fixed, ...rest }) => rest);
  };

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const input = {
      name,
      enabled,
      sources,
      formIds: [...forms, ...splitList(otherForms)],
      states: splitList(states),
      utm,
      customField: customField || null,
      customValue: customValue || null,
      action,
      userIds: action === "partner" ? [] : userIds,
      partnerIds: action === "partner" ? partnerIds : [],
    };
    const local = ruleSchema.safeParse(input);
    if (!local.success) {
      setErrors(fieldErrorsOf(local.error.issues));
      setFormError("Check the fields marked below.");
      return;
    }
    start(async () => {
      const result = await saveRuleAction(input, rule?.id);
      if (result.ok) {
        toast.success(rule ? "Rule saved" : "Rule added");
        onDone();
        router.refresh();
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setFormError(result.error);
    });
  }

  const statesError = Object.entries(errors).find(([k]) => k.startsWith("states"))?.[1];
  return (
    <form onSubmit={submit} className="grid gap-5" noValidate>
      <FormError message={formError} />
      <div className="grid gap-2">
        <Label htmlFor={`${id}-name`}>Rule name</Label>
        <Input
          id={`${id}-name`}
          autoFocus
          value={name}
          onChange={(e) => setName(e.target.value)}
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={errors.name ? `${id}-name-error` : undefined}
        />
        <FieldError id={`${id}-name-error`} message={errors.name} />
      </div>

      <section className="grid gap-4 rounded-md border p-4">
        <h3 className="text-sm font-semibold">When a new lead… (leave a condition empty to accept any lead)</h3>
        <CheckList
          legend="Comes from"
          items={options.sources.map((s) => ({ id: s.key, name: s.label }))}
          value={sources}
          onChange={setSources}
          errorId={`${id}-sources-error`}
        />
        {options.forms.length ? (
          <CheckList
            legend="Through the web form"
            items={options.forms}
            value={forms}
            onChange={setForms}
            errorId={`${id}-forms-error`}
          />
        ) : null}
        <div className="grid gap-2">
          <Label htmlFor={`${id}-other-forms`}>Meta lead form ids</Label>
          <Input id={`${id}-other-forms`} value={otherForms} placeholder="e.g. 1234567890" onChange={(e) => setOtherForms(e.target.value)} />
        </div>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-states`}>In the states</Label>
          <Input
            id={`${id}-states`}
            value={states}
            placeholder="e.g. CA, NV"
            onChange={(e) => setStates(e.target.value)}
            aria-invalid={statesError ? true : undefined}
            aria-describedby={statesError ? `${id}-states-error` : undefined}
          />
          <FieldError id={`${id}-states-error`} message={statesError} />
        </div>
        <div className="grid gap-2 sm:grid-cols-3">
          {(["source", "medium", "campaign"] as const).map((k) => (
            <div key={k} className="grid gap-2">
              <Label htmlFor={`${id}-utm-${k}`}>UTM {k}</Label>
              <Input id={`${id}-utm-${k}`} value={utm[k] ?? ""} onChange={(e) => setUtm({ ...utm, [k]: e.target.value })} />
            </div>
          ))}
        </div>
        {options.customFields.length ? (
          <div className="grid gap-2 sm:grid-cols-2">
            <div className="grid gap-2">
              <Label htmlFor={`${id}-custom-field`}>With the field</Label>
              <NativeSelect id={`${id}-custom-field`} value={customField} onChange={(e) => setCustomField(e.target.value)}>
                <option value="">Any</option>
                {options.customFields.map((f) => (
                  <option key={f.key} value={f.key}>
                    {f.label}
                  </option>
                ))}
              </NativeSelect>
              <FieldError id={`${id}-customField-error`} message={errors.customField} />
            </div>
            <div className="grid gap-2">
              <Label htmlFor={`${id}-custom-value`}>Holding the value</Label>
              <Input id={`${id}-custom-value`} value={customValue} onChange={(e) => setCustomValue(e.target.value)} />
              <FieldError id={`${id}-customValue-error`} message={errors.customValue} />
            </div>
          </div>
        ) : null}
      </section>

      <section className="grid gap-4 rounded-md border p-4">
        <h3 className="text-sm font-semibold">…then</h3>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-action`}>Action</Label>
          <NativeSelect id={`${id}-action`} value={action} onChange={(e) => setAction(e.target.value as RuleAction)}>
            {RULE_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {RULE_ACTION_LABELS[a]}
              </option>
            ))}
          </NativeSelect>
        </div>
        {action === "assign" ? (
          <div className="grid gap-2">
            <Label htmlFor={`${id}-user`}>User</Label>
            <NativeSelect
              id={`${id}-user`}
              value={userIds[0] ?? ""}
              onChange={(e) => choose("userIds", setUserIds)(e.target.value ? [e.target.value] : [])}
              aria-invalid={errors.userIds ? true : undefined}
              aria-describedby={errors.userIds ? `${id}-userIds-error` : undefined}
            >
              <option value="">Choose…</option>
              {options.users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </NativeSelect>
            <FieldError id={`${id}-userIds-error`} message={errors.userIds} />
          </div>
        ) : action === "round_robin" ? (
          <CheckList
            legend="Users, in turn"
            items={options.users}
            value={userIds}
            onChange={choose("userIds", setUserIds)}
            error={errors.userIds}
            errorId={`${id}-userIds-error`}
          />
        ) : (
          <CheckList
            legend="Partners, tried in the order you tick them"
            items={options.partners.map((p) => ({ ...p, note: p.active ? undefined : "inactive" }))}
            value={partnerIds}
            onChange={choose("partnerIds", setPartnerIds)}
            ordered
            error={errors.partnerIds}
            errorId={`${id}-partnerIds-error`}
          />
        )}
      </section>

      <div className="flex items-center gap-2">
        <Checkbox id={`${id}-enabled`} checked={enabled} onCheckedChange={(c) => setEnabled(c === true)} />
        <Label htmlFor={`${id}-enabled`} className="font-normal">
          Enabled
        </Label>
      </div>
      <DialogFooter>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : rule ? "Save rule" : "Add rule"}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function RuleDialog({ rule, options }: { rule?: RoutingRule; options: RoutingOptions }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {rule ? (
        <Button variant="ghost" size="icon" aria-label={`Edit ${rule.name}`} onClick={() => setOpen(true)}>
          <Pencil aria-hidden />
        </Button>
      ) : (
        <Button onClick={() => setOpen(true)}>
          <Plus aria-hidden />
          Add rule
        </Button>
      )}
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>{rule ? `Edit ${rule.name}` : "Add a routing rule"}</DialogTitle>
          <DialogDescription>Rules are tried in order on every new lead without an owner; the first that matches takes it.</DialogDescription>
        </DialogHeader>
        {open ? <RuleForm rule={rule} options={options} onDone={() => setOpen(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}
