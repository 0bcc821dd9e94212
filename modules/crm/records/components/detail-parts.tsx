import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import Link from "next/link";
import { ZonedTime } from "@/components/time-zone";
import { Badge } from "@/components/ui/badge";
import { formatMoney } from "@/modules/crm/values/ui";

/** An E.164 number as people read it: +14155550100 → +1 415 555 0100. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** The day an instant fell on, in the reader's zone. */
export function formatDay(d: Date | string | null): React.ReactNode {
  return d ? <ZonedTime at={d} day /> : null;
}

export function ExternalLink({ href, children }: { href: string; children?: React.ReactNode }) {
  return (
    <a className="text-primary underline-offset-4 hover:underline" href={href} target="_blank" rel="noopener noreferrer">
      {children ?? href.replace(/^https?:\/\//, "")}
    </a>
  );
}

export function MailLink({ email }: { email: string }) {
  return (
    <a className="text-primary underline-offset-4 hover:underline" href={`mailto:${email}`}>
      {email}
    </a>
  );
}

export function PhoneLink({ phone }: { phone: string }) {
  return (
    <a className="text-primary underline-offset-4 hover:underline" href={`tel:${phone}`}>
      {formatPhone(phone)}
    </a>
  );
}

export function Tags({ tags }: { tags: string[] }) {
  if (!tags.length) return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Tags">
      {tags.map((t) => (
        <li key={t}>
          <Badge variant="secondary">{t}</Badge>
        </li>
      ))}
    </ul>
  );
}

/** The record's deals, with stage and value. */
export function DealList(props: {
  deals: { id: string; name: string; value_minor: string | number; currency: string; status: string; stage_name: string }[];
}) {
  if (!props.deals.length) return <p className="text-sm text-muted-foreground">No deals yet.</p>;
  return (
    <ul className="grid gap-2 text-sm">
      {props.deals.map((d) => (
        <li key={d.id} className="flex items-center justify-between gap-2">
          <Link href={`/deals/${d.id}`} className="min-w-0 truncate font-medium underline-offset-4 hover:underline">
            {d.name}
          </Link>
          <span className="shrink-0 text-muted-foreground">
            {d.status === "open" ? d.stage_name : d.status === "won" ? "Won" : "Lost"} · {formatMoney(d.value_minor, d.currency)}
          </span>
        </li>
      ))}
    </ul>
  );
}
