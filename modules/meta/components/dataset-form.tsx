"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { saveMetaConversionsDataset } from "../actions";

/** The Meta dataset a page's CRM stages are reported to; empty stops the reports. */
export function DatasetForm(props: { id: string; datasetId: string | null }) {
  const router = useRouter();
  const id = useId();
  const [value, setValue] = useState(props.datasetId ?? "");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="grid gap-2"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await saveMetaConversionsDataset({ id: props.id, datasetId: value });
          if (!r.ok) return void setError(r.fieldErrors?.datasetId ?? r.error);
          setError(null);
          toast.success(value.trim() ? "Conversions API dataset saved" : "Conversions API reports stopped");
          router.refresh();
        });
      }}
    >
      <Label htmlFor={`${id}-dataset`}>Conversions API dataset ID</Label>
      <div className="flex flex-wrap gap-2">
        <Input
          id={`${id}-dataset`}
          inputMode="numeric"
          autoComplete="off"
          className="max-w-xs"
          placeholder="e.g. 555000111222"
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-dataset-error` : `${id}-dataset-help`}
          onChange={(e) => setValue(e.target.value)}
        />
        <Button type="submit" variant="outline" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
      </div>
      {error ? (
        <p id={`${id}-dataset-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : (
        <p id={`${id}-dataset-help`} className="text-xs text-muted-foreground">
          When a lead from this page reaches one of the Conversions API stages, Covey tells Meta (hashed email and phone). Leave empty to
          send nothing.
        </p>
      )}
    </form>
  );
}
