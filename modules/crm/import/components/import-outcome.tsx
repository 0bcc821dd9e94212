import { CheckCircle2, Undo2 } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { type ImportObject, OBJECT_LABELS } from "../fields";
import type { ImportSummary } from "../service";
import { UndoImportButton } from "./undo-button";

const LIST_PATH: Record<ImportObject, string> = { person: "/people", company: "/companies", deal: "/deals/list" };

/**
 * What an import did, once it is in: the wizard's last screen, and the
 * import's page from then on. Until it is undone it offers Undo (to those
 * who may); after, it says it was undone.
 */
export function ImportOutcome(props: {
  id: string;
  object: ImportObject;
  fileName: string;
  status: "completed" | "undone";
  summary: ImportSummary;
  canUndo: boolean;
}) {
  const { summary: s } = props;
  const noun = OBJECT_LABELS[props.object];
  const undone = props.status === "undone";
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          <h2 className="flex items-center gap-2">
            {undone ? (
              <Undo2 aria-hidden className="size-5 text-muted-foreground" />
            ) : (
              <CheckCircle2 aria-hidden className="size-5 text-green-600 dark:text-green-400" />
            )}
            {undone ? "Import undone" : "Import finished"}
          </h2>
        </CardTitle>
        <CardDescription>{props.fileName}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {undone ? (
          <p role="status" className="text-sm">
            The records this import created are deleted, and those it updated have their previous values back.
          </p>
        ) : null}
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4" aria-label="Import summary">
          <Stat label="Created" value={s.created} />
          <Stat label="Updated" value={s.updated} />
          <Stat label="Skipped" value={s.skipped} />
          <Stat label="Companies created" value={s.companiesCreated} />
        </dl>
        <div className="flex flex-wrap gap-2">
          <Button asChild>
            <Link href={LIST_PATH[props.object]}>View {noun.many.toLowerCase()}</Link>
          </Button>
          <Button asChild variant="outline">
            <Link href="/import">Import history</Link>
          </Button>
          {props.canUndo && !undone ? (
            <UndoImportButton id={props.id} fileName={props.fileName} created={s.created + s.companiesCreated} updated={s.updated} />
          ) : null}
        </div>
      </CardContent>
    </Card>
  );
}

function Stat(props: { label: string; value: number }) {
  return (
    <div>
      <dt className="text-sm text-muted-foreground">{props.label}</dt>
      <dd className="text-2xl font-semibold">{props.value.toLocaleString("en-US")}</dd>
    </div>
  );
}
