import type { ReactNode } from "react";
import Link from "next/link";
import { ArchiveIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { formatDay, Tags } from "./detail-parts";

/** The top of a person's or company's page: the archived banner when it is archived, then its name, lines about it, owner, tags and buttons. */
export function RecordHeader(props: {
  /** "person" / "people", or "company" / "companies". */
  noun: { one: string; many: string };
  listHref: string;
  name: string;
  /** A line under the name (title and company, industry and domain). */
  about: ReactNode;
  owner: string | null;
  tags: string[];
  archivedAt: Date | null;
  /** The restore button of the archived banner, for who may restore. */
  restore: ReactNode;
  actions: ReactNode;
}) {
  const many = props.noun.many;
  return (
    <>
      {props.archivedAt ? (
        <Alert>
          <ArchiveIcon aria-hidden />
          <AlertTitle>This {props.noun.one} is archived</AlertTitle>
          <AlertDescription className="flex flex-wrap items-center justify-between gap-3">
            <span>
              Archived on {formatDay(props.archivedAt)}. Archived {many} don't appear in lists or search.
            </span>
            {props.restore}
          </AlertDescription>
        </Alert>
      ) : null}

      <header className="flex flex-wrap items-start justify-between gap-4">
        <div className="grid gap-1">
          <p className="text-sm text-muted-foreground">
            <Link href={props.listHref} className="underline-offset-4 hover:underline">
              {many[0].toUpperCase() + many.slice(1)}
            </Link>
          </p>
          <h1 className="text-2xl font-semibold tracking-tight">{props.name}</h1>
          <p className="text-sm text-muted-foreground">{props.about}</p>
          <p className="text-sm text-muted-foreground">Owner: {props.owner ?? "No owner"}</p>
          <Tags tags={props.tags} />
        </div>
        <div className="flex flex-wrap gap-2">{props.actions}</div>
      </header>
    </>
  );
}
