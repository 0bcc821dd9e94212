// Custom values as text (lists, exports, merge comparison, detail pages).

import { formatCalendarDate } from "@/lib/time";
import type { CustomFieldDef } from "./types";

type Def = Pick<CustomFieldDef, "key" | "label" | "type" | "options">;

export function optionLabel(def: Def, value: string) {
  return def.options.find((o) => o.value === value)?.label ?? value;
}

/** One custom value as text (lists, exports, merge comparison). */
export function formatCustomValue(def: Def, v: unknown): string {
  if (v === undefined || v === null || v === "") return "";
  switch (def.type) {
    case "checkbox":
      return v === true ? "Yes" : "No";
    case "number":
      return typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: 10 }) : String(v);
    case "date":
      return formatCalendarDate(String(v));
    case "select":
      return optionLabel(def, String(v));
    case "multi_select":
      return Array.isArray(v) ? v.map((x) => optionLabel(def, String(x))).join(", ") : String(v);
    default:
      return String(v);
  }
}

