"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { ZonedTime } from "@/components/time-zone";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Skeleton } from "@/components/ui/skeleton";
import { loadMergePreview, mergeAction } from "../actions";
import type { MergePreview, MergeSide } from "../merge";

type Side = "a" | "b";

function moves(side: MergeSide) {
  const parts = [
    [side.counts.notes, "note"],
    [side.counts.tasks, "task"],
    [side.counts.deals, "deal"],
    ...(side.counts.people !== undefined ? [[side.counts.people, "person"] as const] : []),
  ] as const;
  const text = parts
    .filter(([n]) => n > 0)
    .map(([n, w]) => `${n} ${w === "person" ? (n === 1 ? "person" : "people") : n === 1 ? w : `${w}s`}`);
  return text.length ? text.join(", ") : "nothing linked";
}

/**
 * Compare two records side by side and merge one into the other: choose the
 * record to keep, and for each field where both have different values, which
 * value stays. Everything linked to the merged record moves to the kept one.
 */
export function MergeDialog(props: {
  type: "person" | "company";
  aId: string;
  bId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const router = useRouter();
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [keep, setKeep] = useState<Side>("a");
  const [choices, setChoices] = useState<Record<string, Side>>({});
  const [pending, start] = useTransition();

  useEffect(() => {
    if (!props.open) return;
    let live = true;
    loadMergePreview({ type: props.type, a: props.aId, b: props.bId }).then((r) => {
      if (!live) return;
      if (r.ok) setPreview(r.data);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [props.open, props.type, props.aId, props.bId]);

  const noun = props.type === "person" ? "person" : "company";

  function merge() {
    if (!preview) return;
    const survivor = preview[keep];
    const merged = preview[keep === "a" ? "b" : "a"];
    const fields: Record<string, "survivor" | "merged"> = {};
    for (const f of preview.fields) {
      // Unchosen conflicts keep the survivor's value; blanks are filled either way.
      const chosen = choices[f.key] ?? keep;
      if (f.conflict) fields[f.key] = chosen === keep ? "survivor" : "merged";
    }
    start(async () => {
      const r = await mergeAction({ type: props.type, survivorId: survivor.id, mergedId: merged.id, fields });
      if (!r.ok) {
        setError(r.error);
        return;
      }
      toast.success(`Merged "${merged.name}" into "${survivor.name}"`);
      props.onOpenChange(false);
      router.push(`/${props.type === "person" ? "people" : "companies"}/${survivor.id}`);
    });
  }

  const column = (side: Side) => {
    const s = preview![side];
    const kept = keep === side;
    return (
      <label
        className={`grid cursor-pointer gap-1 rounded-md border p-3 text-sm ${kept ? "border-primary ring-1 ring-primary" : ""}`}
      >
        <span className="flex items-center gap-2">
          <input
            type="radio"
            name="merge-keep"
            className="size-4 accent-primary"
            checked={kept}
            onChange={() => setKeep(side)}
          />
          <span className="font-medium">{s.name}</span>
          {kept ? <Badge>Keep</Badge> : <Badge variant="secondary">Merge in</Badge>}
        </span>
        <span className="text-muted-foreground">
          Created <ZonedTime at={s.createdAt} day />
        </span>
        <span className="text-muted-foreground">Linked: {moves(s)}</span>
        {s.tags.length ? <span className="text-muted-foreground">Tags: {s.tags.join(", ")}</span> : null}
      </label>
    );
  };

  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>Compare and merge</DialogTitle>
          <DialogDescription>
            Choose the {noun} to keep. Notes, tasks, deals{props.type === "company" ? ", people" : ""} and the timeline of the
            other move to it, empty fields are filled from it, tags{props.type === "person" ? ", emails and phones" : ""} are
            combined, and the other {noun} is deleted.
          </DialogDescription>
        </DialogHeader>
        <FormError message={error} />
        {!preview ? (
          error ? null : (
            <div className="grid gap-2" role="status" aria-label="Loading both records">
              <Skeleton className="h-20 w-full" />
              <Skeleton className="h-40 w-full" />
            </div>
          )
        ) : (
          <div className="grid gap-4">
            <fieldset className="grid gap-3 sm:grid-cols-2">
              <legend className="sr-only">{`The ${noun} to keep`}</legend>
              {column("a")}
              {column("b")}
            </fieldset>
            {preview.fields.length ? (
              <table className="w-full text-sm">
                <caption className="sr-only">Field values of both records</caption>
                <thead>
                  <tr className="border-b text-left text-muted-foreground">
                    <th scope="col" className="py-2 pr-2 font-medium">
                      Field
                    </th>
                    <th scope="col" className="py-2 pr-2 font-medium">
                      {preview.a.name}
                    </th>
                    <th scope="col" className="py-2 font-medium">
                      {preview.b.name}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {preview.fields.map((f) => {
                    const chosen = choices[f.key] ?? keep;
                    const cell = (side: Side) => {
                      const value = f[side];
                      if (f.conflict) {
                        return (
                          <label className="flex items-start gap-2">
                            <input
                              type="radio"
                              name={`merge-field-${f.key}`}
                              className="mt-0.5 size-4 accent-primary"
                              checked={chosen === side}
                              onChange={() => setChoices({ ...choices, [f.key]: side })}
                              aria-label={`Keep ${f.label} "${value}"`}
                            />
                            <span className="break-all">{value}</span>
                          </label>
                        );
                      }
                      const survives = value !== "" && (side === keep || f[keep] === "");
                      return (
                        <span className={survives ? "break-all" : "break-all text-muted-foreground"}>{value || "—"}</span>
                      );
                    };
                    return (
                      <tr key={f.key} className="border-b last:border-0 align-top">
                        <th scope="row" className="py-2 pr-2 text-left font-medium">
                          {f.label}
                          {f.conflict ? <span className="sr-only"> (values differ: choose one)</span> : null}
                        </th>
                        <td className="py-2 pr-2">{cell("a")}</td>
                        <td className="py-2">{cell("b")}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : null}
          </div>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button onClick={merge} disabled={!preview || pending}>
            {pending ? "Merging…" : preview ? `Merge into "${preview[keep].name}"` : "Merge"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** A "Compare & merge" button that opens the dialog for a pair. */
export function MergeButton(props: { type: "person" | "company"; aId: string; bId: string; label?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="outline" onClick={() => setOpen(true)}>
        {props.label ?? "Compare & merge"}
      </Button>
      {open ? <MergeDialog type={props.type} aId={props.aId} bId={props.bId} open onOpenChange={setOpen} /> : null}
    </>
  );
}
