"use client";
// "Which rule would take this lead?": the enabled rules run against a lead
// described here, without taking anyone's turn.
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { previewRoutingAction } from "../actions";
import type { RoutingOptions, RoutingRule } from "../queries";

export function RoutingPreview({ rules, options }: { rules: RoutingRule[]; options: RoutingOptions }) {
  const id = useId();
  const [source, setSource] = useState(options.sources[0]?.key ?? "manual");
  const [formId, setFormId] = useState("");
  const [state, setState] = useState("");
  const [campaign, setCampaign] = useState("");
  const [customField, setCustomField] = useState("");
  const [customValue, setCustomValue] = useState("");
  const [answer, setAnswer] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    start(async () => {
      const r = await previewRoutingAction({ source, formId, state, utm: { campaign }, customField, customValue: customField ? customValue : "" });
      if (!r.ok) return setAnswer(r.error);
      const rule = rules.find((x) => x.id === r.data);
      setAnswer(rule ? `Rule ${rule.position + 1}, "${rule.name}", would take this lead.` : "No enabled rule matches: the lead would stay unassigned.");
    });
  }

  return (
    <form onSubmit={submit} className="grid gap-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <div className="grid gap-2">
          <Label htmlFor={`${id}-source`}>Source</Label>
          <NativeSelect id={`${id}-source`} value={source} onChange={(e) => setSource(e.target.value)}>
            {options.sources.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-form`}>Form</Label>
          <NativeSelect id={`${id}-form`} value={formId} onChange={(e) => setFormId(e.target.value)}>
            <option value="">None</option>
            {options.forms.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-state`}>State</Label>
          <Input id={`${id}-state`} value={state} placeholder="CA" onChange={(e) => setState(e.target.value)} />
        </div>
        <div className="grid gap-2">
          <Label htmlFor={`${id}-campaign`}>UTM campaign</Label>
          <Input id={`${id}-campaign`} value={campaign} onChange={(e) => setCampaign(e.target.value)} />
        </div>
        {options.customFields.length ? (
          <>
            <div className="grid gap-2">
              <Label htmlFor={`${id}-custom-field`}>Custom field</Label>
              <NativeSelect id={`${id}-custom-field`} value={customField} onChange={(e) => setCustomField(e.target.value)}>
                <option value="">None</option>
                {options.customFields.map((f) => (
                  <option key={f.key} value={f.key}>
                    {f.label}
                  </option>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-2">
              <Label htmlFor={`${id}-custom-value`}>Its value</Label>
              <Input id={`${id}-custom-value`} value={customValue} disabled={!customField} onChange={(e) => setCustomValue(e.target.value)} />
            </div>
          </>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="outline" disabled={pending}>
          Which rule would take it?
        </Button>
        <p role="status" className="text-sm">
          {answer}
        </p>
      </div>
    </form>
  );
}
