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

export interface DetailItem {
  label: string;
  value: React.ReactNode;
}

/** Label/value rows; empty values show a dash so the panel keeps its shape. */
export function DetailList({ items }: { items: DetailItem[] }) {
  return (
    <dl className="grid gap-3 text-sm">
      {items.map((i) => (
        <div key={i.label} className="grid grid-cols-[8rem_1fr] gap-2">
          <dt className="text-muted-foreground">{i.label}</dt>
          <dd className="min-w-0 break-words">
            {i.value === null || i.value === undefined || i.value === "" ? <span className="text-muted-foreground">—</span> : i.value}
          </dd>
        </div>
      ))}
    </dl>
  );
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

export function addressLines(r: {
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
}): React.ReactNode {
  const cityLine = [r.city, [r.state, r.postal_code].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  const lines = [r.address_line1, r.address_line2, cityLine, r.country].filter(Boolean) as string[];
  if (!lines.length) return null;
  return (
    <address className="not-italic">
      {lines.map((l) => (
        <div key={l}>{l}</div>
      ))}
    </address>
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
