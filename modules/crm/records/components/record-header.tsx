import type { ReactNode } from "react";
import Link from "next/link";
import { ArchiveIcon, MailIcon, PhoneIcon } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { formatDay, Tags } from "./detail-parts";

/**
 * The top of a person's or company's page: the archived banner when it is
 * archived, then its name, lines about it, owner, tags, the ways to reach it
 * and buttons.
 */
export function RecordHeader(props: {
  /** "person" / "people", or "company" / "companies". */
  noun: { one: string; many: string };
  listHref: string;
  name: string;
  /** A line under the name (title and company, industry and domain). */
  about: ReactNode;
  /** The owner, changed in place (OwnerPicker). */
  owner: ReactNode;
  /** Call and Email buttons for the numbers and addresses it has. */
  contact?: { email: string | null; phone: string | null };
  /** Click-to-call for its phone (modules/calls), shown instead of a tel: link where Covey can place the call. */
  call?: ReactNode;
  tags: string[];
  archivedAt: Date | null;
  /** The restore button of the archived banner, for who may restore. */
  restore: ReactNode;
  actions: ReactNode;
}) {
  const many = props.noun.many;
  const { phone, email } = props.contact ?? {};
  const reach = [
    ...(phone && !props.call ? [{ href: `tel:${phone}`, Icon: PhoneIcon, label: "Call" }] : []),
    ...(email ? [{ href: `mailto:${email}`, Icon: MailIcon, label: "Email" }] : []),
  ];
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
          <div>{props.owner}</div>
          <Tags tags={props.tags} />
          {reach.length || (phone && props.call) ? (
            <div className="mt-1 flex flex-wrap gap-2">
              {phone ? props.call : null}
              {reach.map(({ href, Icon, label }) => (
                <Button key={label} asChild variant="outline" size="sm">
                  <a href={href}>
                    <Icon aria-hidden />
                    {label}
                  </a>
                </Button>
              ))}
            </div>
          ) : null}
        </div>
        <div className="flex flex-wrap gap-2">{props.actions}</div>
      </header>
    </>
  );
}
