"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { savePipelineNounsAction } from "../actions";
import { DEFAULT_NOUNS } from "../nouns";
import type { Pipeline } from "../queries";

/**
 * What the pipeline's deals are called in navigation, lists, forms, search
 * and notifications ("Case" / "Cases"); empty means Deal / Deals.
 */
export function PipelineNouns({ pipeline }: { pipeline: Pipeline }) {
  const router = useRouter();
  const ids = useId();
  const [pending, start] = useTransition();
  const [singular, setSingular] = useState(pipeline.nounSingular ?? "");
  const [plural, setPlural] = useState(pipeline.nounPlural ?? "");
  const [errors, setErrors] = useState<{ nounSingular?: string; nounPlural?: string }>({});
  const dirty = singular !== (pipeline.nounSingular ?? "") || plural !== (pipeline.nounPlural ?? "");

  function save(e: React.FormEvent) {
    e.preventDefault();
    setErrors({});
    start(async () => {
      const r = await savePipelineNounsAction({ pipelineId: pipeline.id, nounSingular: singular, nounPlural: plural });
      if (!r.ok) {
        setErrors({ nounSingular: r.fieldErrors?.nounSingular, nounPlural: r.fieldErrors?.nounPlural });
        toast.error(r.error);
        return;
      }
      toast.success("Saved what its deals are called");
      router.refresh();
    });
  }

  const field = (key: "nounSingular" | "nounPlural", label: string, value: string, set: (v: string) => void, placeholder: string) => (
    <div className="grid gap-1">
      <Label htmlFor={`${ids}-${key}`}>{label}</Label>
      <Input
        id={`${ids}-${key}`}
        value={value}
        onChange={(e) => set(e.target.value)}
        placeholder={placeholder}
        aria-invalid={!!errors[key]}
        aria-describedby={errors[key] ? `${ids}-${key}-error` : undefined}
        className="w-44"
      />
      {errors[key] ? (
        <p id={`${ids}-${key}-error`} className="text-sm text-destructive">
          {errors[key]}
        </p>
      ) : null}
    </div>
  );

  return (
    <form onSubmit={save} aria-label={`What ${pipeline.name}'s deals are called`} className="mb-4 grid gap-2">
      <fieldset className="flex flex-wrap items-end gap-2">
        <legend className="mb-1 text-sm font-medium">Its deals are called</legend>
        {field("nounSingular", "One", singular, setSingular, DEFAULT_NOUNS.singular)}
        {field("nounPlural", "Many", plural, setPlural, DEFAULT_NOUNS.plural)}
        <Button type="submit" variant="outline" disabled={pending || !dirty}>
          Save names
        </Button>
      </fieldset>
    </form>
  );
}
