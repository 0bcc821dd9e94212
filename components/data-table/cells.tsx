import { CheckIcon, MinusIcon } from "lucide-react";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import type { ListField } from "@/modules/crm/lists/ui";
import { ZonedTime } from "@/components/time-zone";
import { formatCalendarDate } from "@/lib/time";
import { formatMoney, formatNumber, isBlank, memberName, optionLabel } from "./format";
import type { ListMember, ListRow } from "./types";

// One element: the record list's styles draw the dash and give it the spoken word "empty".
const BLANK = <span data-blank />;

// Parsing a number compiles a dozen of libphonenumber's regular expressions
// (about 0.1 ms): a page of people paid it for every row on every render and
// again on hydration. Results are kept per number, a bounded number of them.
const PHONE_CACHE_SIZE = 5000;
const phones = new Map<string, { dial: string; shown: string }>();

function phoneDisplay(text: string): { dial: string; shown: string } {
  let out = phones.get(text);
  if (!out) {
    const phone = parsePhoneNumberFromString(text);
    out = { dial: phone?.number ?? text.replace(/[^\d+]/g, ""), shown: phone?.formatInternational() ?? text };
    if (phones.size >= PHONE_CACHE_SIZE) phones.clear();
    phones.set(text, out);
  }
  return out;
}

/** Only web addresses become links; anything else (javascript:, data:) is shown as text under https://. */
function webHref(v: string): string {
  return /^https?:\/\//i.test(v) ? v : `https://${v}`;
}

function badges(values: string[], field: ListField) {
  const shown = values.slice(0, 3);
  return (
    <span className="flex items-center gap-1">
      {shown.map((v) => (
        <span key={v} data-tag>
          {optionLabel(field, v)}
        </span>
      ))}
      {values.length > shown.length ? (
        <span className="text-xs text-muted-foreground" title={values.slice(3).map((v) => optionLabel(field, v)).join(", ")}>
          +{values.length - shown.length}
        </span>
      ) : null}
    </span>
  );
}

/**
 * One cell's markup, by the field's type. A plain function rather than a
 * component (a page renders hundreds of cells): the record list styles
 * links, `data-tag` badges and `data-blank` for the whole table. Links to
 * records are plain anchors; the list navigates them on the client.
 */
export function cellContent(props: {
  field: ListField;
  value: unknown;
  row: ListRow;
  members: ListMember[];
  defaultCurrency?: string;
}) {
  const { field, value, row, members } = props;
  if (field.type === "checkbox") {
    return value === true ? (
      <span className="inline-flex items-center text-foreground">
        <CheckIcon aria-hidden className="size-4" />
        <span className="sr-only">Yes</span>
      </span>
    ) : (
      <span className="inline-flex items-center text-muted-foreground">
        <MinusIcon aria-hidden className="size-4" />
        <span className="sr-only">No</span>
      </span>
    );
  }
  if (isBlank(value)) return BLANK;
  const text = String(value);

  switch (field.type) {
    case "number":
      return <span className="tabular-nums">{formatNumber(value)}</span>;
    case "money": {
      const currency = typeof row.currency === "string" ? row.currency : (props.defaultCurrency ?? "USD");
      return <span className="tabular-nums">{formatMoney(value, currency)}</span>;
    }
    case "date":
      return <time dateTime={text.slice(0, 10)}>{formatCalendarDate(value as string | Date)}</time>;
    case "datetime":
      // A row may hold a calendar date in a datetime column (an all-day task's due date).
      return /^\d{4}-\d{2}-\d{2}$/.test(text) ? (
        <time dateTime={text}>{formatCalendarDate(text)}</time>
      ) : (
        <ZonedTime at={value as string | Date} />
      );
    case "select":
      return field.badge ? <span data-tag data-value={text}>{optionLabel(field, text)}</span> : <span>{optionLabel(field, text)}</span>;
    case "multi_select":
    case "tags":
      return badges(Array.isArray(value) ? value.map(String) : [text], field);
    case "email":
      return (
        <a href={`mailto:${text}`}>
          {text}
        </a>
      );
    case "phone": {
      const phone = phoneDisplay(text);
      return (
        <a className="tabular-nums" href={`tel:${phone.dial}`}>
          {phone.shown}
        </a>
      );
    }
    case "url":
      return (
        <a href={webHref(text)} target="_blank" rel="noopener noreferrer nofollow">
          {text.replace(/^https?:\/\//i, "").replace(/\/$/, "")}
        </a>
      );
    case "user":
      return <span>{memberName(members, text)}</span>;
    case "relation": {
      if (typeof value === "object" && value && "name" in value) {
        const rel = value as { name?: unknown; href?: unknown };
        const name = String(rel.name ?? "");
        return typeof rel.href === "string" ? (
          <a href={rel.href}>
            {name}
          </a>
        ) : (
          <span>{name}</span>
        );
      }
      return <span>{text}</span>;
    }
    default:
      return <span>{text}</span>;
  }
}
