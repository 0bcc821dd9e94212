import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { DuplicatePair, DuplicateRecord } from "../queries";
import { DismissButton } from "./dismiss-button";
import { MergeButton } from "./merge-dialog";

function Record({ r, base }: { r: DuplicateRecord; base: string }) {
  return (
    <div className="grid min-w-0 gap-0.5">
      <Link href={`${base}/${r.id}`} className="truncate font-medium hover:underline">
        {r.name}
      </Link>
      <span className="truncate text-sm text-muted-foreground">
        {[r.email, r.phone, r.detail].filter(Boolean).join(" · ") || "No contact details"}
      </span>
    </div>
  );
}

/** Likely duplicate pairs with their reasons, best first; "Compare & merge" and "Not a duplicate" for those who may. */
export function DuplicatesReview(props: { type: "person" | "company"; pairs: DuplicatePair[]; canMerge: boolean }) {
  const base = props.type === "person" ? "/people" : "/companies";
  const noun = props.type === "person" ? "people" : "companies";
  if (!props.pairs.length) {
    return (
      <div className="rounded-md border border-dashed p-10 text-center text-sm text-muted-foreground">
        No likely duplicate {noun} found. Records with the same email{props.type === "person" ? ", phone" : " domain"} or a
        similar name show up here.
      </div>
    );
  }
  return (
    <ul className="grid gap-3" aria-label={`Likely duplicate ${noun}`}>
      {props.pairs.map((p) => (
        <li key={`${p.a.id}:${p.b.id}`} className="grid gap-3 rounded-md border p-4 md:grid-cols-[1fr_1fr_auto] md:items-center">
          <Record r={p.a} base={base} />
          <Record r={p.b} base={base} />
          <div className="flex flex-wrap items-center gap-2 md:justify-end">
            <Badge variant={p.score >= 85 ? "default" : "secondary"} title="How likely these are the same">
              {p.score}% match
            </Badge>
            {props.canMerge ? (
              <>
                <DismissButton type={props.type} aId={p.a.id} bId={p.b.id} names={[p.a.name, p.b.name]} />
                <MergeButton type={props.type} aId={p.a.id} bId={p.b.id} />
              </>
            ) : null}
          </div>
          <ul className="flex flex-wrap gap-2 text-sm text-muted-foreground md:col-span-3" aria-label="Why">
            {p.reasons.map((reason) => (
              <li key={reason} className="rounded bg-muted px-2 py-0.5">
                {reason}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
