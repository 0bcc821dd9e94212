"use client";

import { Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { IMPORT_OBJECTS, type ImportObject, OBJECT_LABELS } from "../fields";
import { NativeSelect } from "./native-select";

const MAX_MB = 50;

/** Step 1: choose what the file holds and upload it; the server parses it and opens the mapping step. */
export function UploadForm() {
  const router = useRouter();
  const [object, setObject] = useState<ImportObject>("person");
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; errors: string[] } | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!file) return;
    setError(null);
    if (file.size > MAX_MB * 1024 * 1024) {
      setError({ message: `The file is larger than ${MAX_MB} MB. Split it into smaller files and import them one by one.`, errors: [] });
      return;
    }
    setBusy(true);
    try {
      const res = await fetch(`/api/crm/imports?object=${object}&name=${encodeURIComponent(file.name)}`, {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: file,
      });
      const body = await res.json().catch(() => ({ error: { message: "The upload failed. Try again in a moment." } }));
      if (!res.ok) {
        setError({ message: body.error.message, errors: body.error.details?.file ?? [] });
        return;
      }
      router.push(`/import/${body.id}`);
    } catch {
      setError({ message: "The upload failed. Check your connection and try again.", errors: [] });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="grid gap-4 sm:max-w-lg" aria-label="Upload a CSV file">
      <div className="grid gap-2">
        <Label htmlFor="import-object">The file holds</Label>
        <NativeSelect id="import-object" value={object} onChange={(e) => setObject(e.target.value as ImportObject)}>
          {IMPORT_OBJECTS.map((o) => (
            <option key={o} value={o}>
              {OBJECT_LABELS[o].many}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-2">
        <Label htmlFor="import-file">CSV file</Label>
        <Input id="import-file" type="file" accept=".csv,.tsv,.txt,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <p className="text-sm text-muted-foreground">
          UTF-8 or UTF-16, separated by commas, semicolons or tabs, with column names in the first row. Up to {MAX_MB} MB.
        </p>
      </div>
      {error ? (
        <Alert variant="destructive" role="alert">
          <AlertTitle>{error.message}</AlertTitle>
          {error.errors.length ? (
            <AlertDescription>
              <ul className="list-disc pl-4">
                {error.errors.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            </AlertDescription>
          ) : null}
        </Alert>
      ) : null}
      <div>
        <Button type="submit" disabled={!file || busy}>
          <Upload aria-hidden className="size-4" />
          {busy ? "Uploading…" : "Upload and map columns"}
        </Button>
      </div>
    </form>
  );
}
