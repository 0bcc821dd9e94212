"use client";

import { ArrowDownIcon, ArrowUpIcon, PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { type ReactNode, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { SortableList, useSortableRow } from "@/components/sortable-list";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import type { ActionResult } from "@/lib/action-result";
import type { LeadSourceSetting, LeadStatusSetting } from "../settings";
import {
  addLeadSourceAction,
  addLeadStatusAction,
  archiveLeadSourceAction,
  archiveLeadStatusAction,
  renameLeadSourceAction,
  reorderLeadStatusesAction,
  restoreLeadSourceAction,
  restoreLeadStatusAction,
  updateLeadStatusAction,
} from "../settings-actions";
import { CATEGORY_LABELS, LEAD_STATUS_CATEGORIES, type LeadStatusCategory } from "../settings-schema";

/** Runs an action: a refusal's field errors come back for the form, success refreshes the page. */
function useAction() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const run = (fn: () => Promise<ActionResult<unknown>>, success: string, then?: () => void) =>
    start(async () => {
      const r = await fn();
      if (!r.ok) {
        setErrors(r.fieldErrors ?? {});
        toast.error(r.error);
        return;
      }
      setErrors({});
      toast.success(success);
      then?.();
      router.refresh();
    });
  return { run, pending, errors };
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="text-xs text-destructive">
      {message}
    </p>
  ) : null;
}

const leadCount = (n: number) => `${n} lead${n === 1 ? "" : "s"}`;

export function LeadSettings(props: { sources: LeadSourceSetting[]; statuses: LeadStatusSetting[] }) {
  return (
    <div className="grid gap-6">
      <LeadStatuses statuses={props.statuses} />
      <LeadSources sources={props.sources} />
    </div>
  );
}

function Section(props: { id: string; title: string; description: string; children: ReactNode }) {
  return (
    <Card role="region" aria-labelledby={props.id}>
      <CardHeader>
        <CardTitle>
          <h2 id={props.id}>{props.title}</h2>
        </CardTitle>
        <CardDescription>{props.description}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">{props.children}</CardContent>
    </Card>
  );
}

function AddForm(props: {
  noun: string;
  placeholder: string;
  onAdd: (label: string, done: () => void) => void;
  pending: boolean;
  error?: string;
  extra?: ReactNode;
}) {
  const ids = useId();
  const [label, setLabel] = useState("");
  return (
    <form
      className="flex flex-wrap items-start gap-2 border-t pt-4"
      aria-label={`Add a ${props.noun}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onAdd(label, () => setLabel(""));
      }}
    >
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-label`}>New {props.noun}</Label>
        <Input
          id={`${ids}-label`}
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          placeholder={props.placeholder}
          className="w-56"
          aria-invalid={props.error ? true : undefined}
          aria-describedby={props.error ? `${ids}-error` : undefined}
        />
        <FieldError id={`${ids}-error`} message={props.error} />
      </div>
      {props.extra}
      <Button type="submit" variant="outline" className="mt-5" disabled={props.pending}>
        <PlusIcon aria-hidden />
        Add {props.noun}
      </Button>
    </form>
  );
}

function LeadSources({ sources }: { sources: LeadSourceSetting[] }) {
  const add = useAction();
  return (
    <Section
      id="lead-sources-heading"
      title="Sources"
      description="Where leads come from. Covey's own channels write the built-in ones, so those can be renamed but not archived. An archived source stays on its leads and in filters, and is not offered for new leads."
    >
      <ul className="grid gap-2" aria-label="Lead sources">
        {sources.map((s) => (
          <SourceRow key={`${s.key}:${s.label}:${s.archived}`} source={s} />
        ))}
      </ul>
      <AddForm
        noun="source"
        placeholder="e.g. Trade show"
        pending={add.pending}
        error={add.errors.label}
        onAdd={(label, done) => add.run(() => addLeadSourceAction({ label }), `Source "${label.trim()}" added`, done)}
      />
    </Section>
  );
}

function SourceRow({ source }: { source: LeadSourceSetting }) {
  const ids = useId();
  const save = useAction();
  const [label, setLabel] = useState(source.label);
  const error = save.errors.label;
  return (
    <li className="flex flex-wrap items-start gap-3 rounded-md border p-3" aria-label={`Source ${source.label}`}>
      <form
        className="flex flex-wrap items-start gap-2"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.run(() => renameLeadSourceAction({ key: source.key, label }), "Source renamed");
        }}
      >
        <div className="grid gap-1">
          <Label htmlFor={`${ids}-label`} className="sr-only">
            Label of {source.label}
          </Label>
          <Input
            id={`${ids}-label`}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            className="w-56"
            disabled={source.archived}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${ids}-error` : undefined}
          />
          <FieldError id={`${ids}-error`} message={error} />
        </div>
        {label !== source.label ? (
          <Button type="submit" size="sm" className="mt-1" disabled={save.pending}>
            Save
          </Button>
        ) : null}
      </form>
      <span className="mt-2 font-mono text-xs text-muted-foreground">{source.key}</span>
      <span className="mt-2 text-xs text-muted-foreground">{leadCount(source.leads)}</span>
      <span className="ml-auto flex items-center gap-2">
        {source.builtIn ? <Badge variant="secondary">Built-in</Badge> : null}
        {source.archived ? <Badge variant="outline">Archived</Badge> : null}
        {source.builtIn ? null : (
          <Button
            type="button"
            variant="outline"
            size="sm"
            disabled={save.pending}
            aria-label={`${source.archived ? "Restore" : "Archive"} ${source.label}`}
            onClick={() =>
              source.archived
                ? save.run(() => restoreLeadSourceAction({ key: source.key }), `Source "${source.label}" restored`)
                : save.run(() => archiveLeadSourceAction({ key: source.key }), `Source "${source.label}" archived`)
            }
          >
            {source.archived ? "Restore" : "Archive"}
          </Button>
        )}
      </span>
      {save.errors.archived_at ? <FieldError id={`${ids}-archive-error`} message={save.errors.archived_at} /> : null}
    </li>
  );
}

function LeadStatuses({ statuses }: { statuses: LeadStatusSetting[] }) {
  const router = useRouter();
  const add = useAction();
  const [category, setCategory] = useState<LeadStatusCategory>("open");
  const ids = useId();
  const active = statuses.filter((s) => !s.archived);
  const archived = statuses.filter((s) => s.archived);
  // The dropped order until the server's order arrives (or the reorder is refused).
  const base = active.map((s) => s.key).join();
  const [local, setLocal] = useState<{ base: string; keys: string[] } | null>(null);
  const shown = local && local.base === base ? local.keys.flatMap((k) => active.find((s) => s.key === k) ?? []) : active;
  const [reordering, start] = useTransition();
  const reorder = (keys: string[]) => {
    setLocal({ base, keys });
    start(async () => {
      const r = await reorderLeadStatusesAction({ keys });
      if (!r.ok) {
        setLocal(null);
        toast.error(r.error);
        return;
      }
      toast.success("Order of statuses saved");
      router.refresh();
    });
  };
  const move = (i: number, by: -1 | 1) => {
    const keys = shown.map((s) => s.key);
    [keys[i], keys[i + by]] = [keys[i + by], keys[i]];
    reorder(keys);
  };
  return (
    <Section
      id="lead-statuses-heading"
      title="Statuses"
      description="The steps a lead goes through, in order. Each status is open (still being worked), won or lost. A status is archived once its leads have moved to another; the built-in ones, which Covey sets itself, can be renamed."
    >
      <SortableList items={shown.map((s) => ({ id: s.key, name: s.label }))} noun="status" onReorder={reorder}>
        <ol className="grid gap-2" aria-label="Lead statuses">
          {shown.map((s, i) => (
            <StatusRow
              key={`${s.key}:${s.label}:${s.category}`}
              status={s}
              others={active.filter((o) => o.key !== s.key)}
              canUp={i > 0 && !reordering}
              canDown={i < shown.length - 1 && !reordering}
              onMove={(by) => move(i, by)}
            />
          ))}
        </ol>
      </SortableList>
      {archived.length ? (
        <ul className="grid gap-2" aria-label="Archived statuses">
          {archived.map((s) => (
            <ArchivedStatusRow key={s.key} status={s} />
          ))}
        </ul>
      ) : null}
      <AddForm
        noun="status"
        placeholder="e.g. Contacted"
        pending={add.pending}
        error={add.errors.label}
        extra={
          <div className="grid gap-1">
            <Label htmlFor={`${ids}-category`}>Category</Label>
            <NativeSelect id={`${ids}-category`} value={category} onChange={(e) => setCategory(e.target.value as LeadStatusCategory)} className="w-28">
              {LEAD_STATUS_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABELS[c]}
                </option>
              ))}
            </NativeSelect>
          </div>
        }
        onAdd={(label, done) => add.run(() => addLeadStatusAction({ label, category }), `Status "${label.trim()}" added`, done)}
      />
    </Section>
  );
}

function StatusRow(props: {
  status: LeadStatusSetting;
  others: LeadStatusSetting[];
  canUp: boolean;
  canDown: boolean;
  onMove: (by: -1 | 1) => void;
}) {
  const { status } = props;
  const ids = useId();
  const save = useAction();
  const [label, setLabel] = useState(status.label);
  const [category, setCategory] = useState(status.category);
  const [archiving, setArchiving] = useState(false);
  const [moveTo, setMoveTo] = useState(props.others[0]?.key ?? "");
  const row = useSortableRow(status.key, status.label);
  const dirty = label !== status.label || category !== status.category;
  const errorOf = (field: string) => save.errors[field];
  return (
    <li ref={row.ref} style={row.style} className={`rounded-md border bg-card p-3 ${row.dragging ? "relative z-10 shadow-lg" : ""}`}>
      <div role="group" aria-label={`Status ${status.label}`} className="flex flex-wrap items-start gap-3">
        <div className="flex items-center gap-1 self-center">
          {row.handle}
          <div className="flex flex-col gap-1">
            <Button type="button" variant="ghost" size="icon" className="size-6" disabled={!props.canUp} onClick={() => props.onMove(-1)} aria-label={`Move ${status.label} up`}>
              <ArrowUpIcon aria-hidden />
            </Button>
            <Button type="button" variant="ghost" size="icon" className="size-6" disabled={!props.canDown} onClick={() => props.onMove(1)} aria-label={`Move ${status.label} down`}>
              <ArrowDownIcon aria-hidden />
            </Button>
          </div>
        </div>
        <form
          className="flex flex-wrap items-start gap-2"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save.run(() => updateLeadStatusAction({ key: status.key, label, category }), "Status saved");
          }}
        >
          <div className="grid gap-1">
            <Label htmlFor={`${ids}-label`}>Label</Label>
            <Input
              id={`${ids}-label`}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              className="w-48"
              aria-invalid={errorOf("label") ? true : undefined}
              aria-describedby={errorOf("label") ? `${ids}-label-error` : undefined}
            />
            <FieldError id={`${ids}-label-error`} message={errorOf("label")} />
          </div>
          <div className="grid gap-1">
            <Label htmlFor={`${ids}-category`}>Category</Label>
            <NativeSelect
              id={`${ids}-category`}
              value={category}
              disabled={status.builtIn}
              onChange={(e) => setCategory(e.target.value as LeadStatusCategory)}
              className="w-28"
              aria-invalid={errorOf("category") ? true : undefined}
              aria-describedby={errorOf("category") ? `${ids}-category-error` : undefined}
            >
              {LEAD_STATUS_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABELS[c]}
                </option>
              ))}
            </NativeSelect>
            <FieldError id={`${ids}-category-error`} message={errorOf("category")} />
          </div>
          {dirty ? (
            <Button type="submit" size="sm" className="mt-6" disabled={save.pending}>
              Save
            </Button>
          ) : null}
        </form>
        <span className="mt-7 text-xs text-muted-foreground">{leadCount(status.leads)}</span>
        <span className="ml-auto flex items-center gap-2 self-center">
          {status.builtIn ? <Badge variant="secondary">Built-in</Badge> : null}
          {status.builtIn ? null : (
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={save.pending}
              onClick={() => setArchiving((v) => !v)}
              aria-expanded={archiving}
              aria-label={`Archive ${status.label}`}
            >
              Archive
            </Button>
          )}
        </span>
      </div>
      {archiving ? (
        <form
          className="mt-3 flex flex-wrap items-start gap-2 border-t pt-3 text-sm"
          aria-label={`Archive ${status.label}`}
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            save.run(
              () => archiveLeadStatusAction({ key: status.key, moveTo: status.leads ? moveTo : null }),
              `Status "${status.label}" archived`,
            );
          }}
        >
          {status.leads ? (
            <div className="grid gap-1">
              <Label htmlFor={`${ids}-move`}>Move its {leadCount(status.leads)} to</Label>
              <NativeSelect
                id={`${ids}-move`}
                value={moveTo}
                onChange={(e) => setMoveTo(e.target.value)}
                className="w-48"
                aria-invalid={errorOf("moveTo") ? true : undefined}
                aria-describedby={errorOf("moveTo") ? `${ids}-move-error` : undefined}
              >
                {props.others.map((o) => (
                  <option key={o.key} value={o.key}>
                    {o.label}
                  </option>
                ))}
              </NativeSelect>
              <FieldError id={`${ids}-move-error`} message={errorOf("moveTo")} />
            </div>
          ) : (
            <p className="mt-2 text-muted-foreground">No lead has this status.</p>
          )}
          <Button type="submit" variant="destructive" size="sm" className="mt-1 self-end" disabled={save.pending}>
            {status.leads ? "Move leads and archive" : "Archive"}
          </Button>
          <Button type="button" variant="ghost" size="sm" className="mt-1 self-end" onClick={() => setArchiving(false)}>
            Cancel
          </Button>
        </form>
      ) : null}
    </li>
  );
}

function ArchivedStatusRow({ status }: { status: LeadStatusSetting }) {
  const save = useAction();
  return (
    <li className="flex flex-wrap items-center gap-3 rounded-md border border-dashed p-3 text-sm" aria-label={`Status ${status.label}`}>
      <span className="font-medium">{status.label}</span>
      <Badge variant="outline">Archived</Badge>
      <span className="text-muted-foreground">{CATEGORY_LABELS[status.category]}</span>
      <Button
        type="button"
        variant="outline"
        size="sm"
        className="ml-auto"
        disabled={save.pending}
        onClick={() => save.run(() => restoreLeadStatusAction({ key: status.key }), `Status "${status.label}" restored`)}
        aria-label={`Restore ${status.label}`}
      >
        Restore
      </Button>
    </li>
  );
}
