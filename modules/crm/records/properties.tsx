// The properties a record's page edits in place, built on the server: each
// with its inline edit key, its editor's string and how its value reads.
// It calls nothing from the "use client" form parts: a server component gets
// references, not functions, from such a file.

import type { ReactNode } from "react";
import { formatCustomValue } from "@/modules/crm/custom-fields";
import type { CustomFieldDef } from "@/modules/crm/custom-fields/ui";
import { ExternalLink, formatDay, MailLink, PhoneLink } from "./components/detail-parts";
import type { SharedRecordFields } from "./components/form-parts";
import type { PropertyField, RecordProperty } from "./components/record-properties";

/** A property edited in place: `key` is the record's inline edit key; the display defaults to the value. */
export function editable(
  key: string,
  label: string,
  value: string | null | undefined,
  opts: { type?: PropertyField["type"]; display?: ReactNode; options?: PropertyField["options"] } = {},
): RecordProperty {
  return { label, display: opts.display === undefined ? value : opts.display, field: { key, type: opts.type ?? "text", options: opts.options }, value: value ?? null };
}

/** The address rows, tags and last contacted date that people and companies both hold. */
export function sharedProperties(r: SharedRecordFields): { address: RecordProperty[]; tags: RecordProperty; lastContacted: RecordProperty } {
  return {
    address: [
      editable("address_line1", "Street", r.address_line1),
      editable("address_line2", "Street, line 2", r.address_line2),
      editable("city", "City", r.city),
      editable("state", "State", r.state),
      editable("postal_code", "Postal code", r.postal_code),
      editable("country", "Country", r.country),
    ],
    tags: editable("tags", "Tags", r.tags.join(", ") || null),
    lastContacted: editable("last_contacted_at", "Last contacted", r.last_contacted_at?.toISOString().slice(0, 10) ?? null, {
      type: "date",
      display: formatDay(r.last_contacted_at),
    }),
  };
}

// A checkbox is edited as a choice of yes or no; the custom field check reads both words.
const YES_NO = [
  { value: "true", label: "Yes" },
  { value: "false", label: "No" },
];

/** The record's custom fields as properties: a multi-select is edited as its options separated by commas. */
export function customProperties(defs: readonly CustomFieldDef[], values: Record<string, unknown>): RecordProperty[] {
  return defs.map((d) => {
    const v = values[d.key];
    const text = formatCustomValue(d, v);
    const display =
      text === "" ? null : d.type === "url" ? (
        <ExternalLink href={String(v)} />
      ) : d.type === "email" ? (
        <MailLink email={String(v)} />
      ) : d.type === "phone" ? (
        <PhoneLink phone={String(v)} />
      ) : (
        <span className="whitespace-pre-wrap">{text}</span>
      );
    const value = v === undefined || v === null ? null : Array.isArray(v) ? v.join(", ") : String(v);
    const type = d.type === "multi_select" ? "text" : d.type === "checkbox" ? "select" : d.type;
    const options = d.type === "select" ? d.options : d.type === "checkbox" ? YES_NO : undefined;
    return editable(`custom.${d.key}`, d.label, value, { type, display, options });
  });
}
