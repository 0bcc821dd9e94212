"use client";
// The org's rules in the order they are tried, each with what it matches,
// what it does, and its controls: move up or down, enable, edit, delete.
import { ArrowDown, ArrowUp, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import type { ActionResult } from "@/lib/action-result";
import { deleteRuleAction, moveRuleAction, setRuleEnabledAction } from "../actions";
import type { RoutingOptions, RoutingRule } from "../queries";
import { RULE_ACTION_LABELS } from "../schema";
import { RuleDialog } from "./rule-dialog";

export function describeConditions(rule: RoutingRule, options: RoutingOptions): string[] {
  const label = (key: string) => options.sources.find((s) => s.key === key)?.label ?? key;
  const form = (id: string) => options.forms.find((f) => f.id === id)?.name ?? id;
  const out: string[] = [];
  if (rule.sources.length) out.push(`Source: ${rule.sources.map(label).join(" or ")}`);
  if (rule.form_ids.length) out.push(`Form: ${rule.form_ids.map(form).join(" or ")}`);
  if (rule.states.length) out.push(`State: ${rule.states.join(", ")}`);
  for (const [k, v] of Object.entries(rule.utm)) out.push(`UTM ${k}: ${v}`);
  if (rule.custom_field) {
    const f = options.customFields.find((c) => c.key === rule.custom_field)?.label ?? rule.custom_field;
    out.push(`${f}: ${rule.custom_value}`);
  }
  return out;
}

function RuleRow({ rule, options, first, last }: { rule: RoutingRule; options: RoutingOptions; first: boolean; last: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const run = (fn: () => Promise<ActionResult<unknown>>, done?: string) =>
    start(async () => {
      const r = await fn();
      if (!r.ok) toast.error(r.error);
      else {
        if (done) toast.success(done);
        router.refresh();
      }
    });
  const conditions = describeConditions(rule, options);
  const members = rule.action === "partner" ? rule.partners : rule.users;
  return (
    <li className="flex flex-wrap items-start gap-3 border-b py-3 last:border-b-0" aria-label={rule.name} data-rule={rule.id}>
      <span className="mt-1 w-6 shrink-0 text-right font-mono text-sm text-muted-foreground">{rule.position + 1}.</span>
      <div className="grid min-w-0 flex-1 gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{rule.name}</span>
          {rule.enabled ? null : <Badge variant="outline">Off</Badge>}
        </div>
        <p className="text-sm text-muted-foreground">{conditions.length ? conditions.join(" · ") : "Every new lead"}</p>
        <p className="text-sm">
          {RULE_ACTION_LABELS[rule.action]}:{" "}
          {members.length
            ? members.map((m) => `${m.name} (${m.assigned_count})`).join(rule.action === "partner" ? " → " : ", ")
            : "nobody chosen"}
        </p>
      </div>
      <div className="flex items-center gap-1">
        <div className="mr-2 flex items-center gap-2">
          <Checkbox
            id={`enabled-${rule.id}`}
            checked={rule.enabled}
            disabled={pending}
            onCheckedChange={(c) => run(() => setRuleEnabledAction(rule.id, c === true))}
          />
          <label htmlFor={`enabled-${rule.id}`} className="text-sm">
            Enabled
          </label>
        </div>
        <Button variant="ghost" size="icon" aria-label={`Move ${rule.name} up`} disabled={pending || first} onClick={() => run(() => moveRuleAction(rule.id, -1))}>
          <ArrowUp aria-hidden />
        </Button>
        <Button variant="ghost" size="icon" aria-label={`Move ${rule.name} down`} disabled={pending || last} onClick={() => run(() => moveRuleAction(rule.id, 1))}>
          <ArrowDown aria-hidden />
        </Button>
        <RuleDialog rule={rule} options={options} />
        <Button
          variant="ghost"
          size="icon"
          aria-label={`Delete ${rule.name}`}
          disabled={pending}
          onClick={() => {
            if (window.confirm(`Delete the rule "${rule.name}"?`)) run(() => deleteRuleAction(rule.id), "Rule deleted");
          }}
        >
          <Trash2 aria-hidden />
        </Button>
      </div>
    </li>
  );
}

export function RuleList({ rules, options }: { rules: RoutingRule[]; options: RoutingOptions }) {
  if (!rules.length) {
    return <p className="text-sm text-muted-foreground">No rules yet: new leads stay unassigned until someone takes them. Add a rule to route them.</p>;
  }
  return (
    <ol aria-label="Routing rules">
      {rules.map((r, i) => (
        <RuleRow key={r.id} rule={r} options={options} first={i === 0} last={i === rules.length - 1} />
      ))}
    </ol>
  );
}
