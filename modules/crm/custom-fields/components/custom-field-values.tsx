import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";
import { formatCustomValue, optionLabel } from "../format";
import type { CustomFieldDef } from "../types";

export { formatCustomValue };

type Def = Pick<CustomFieldDef, "key" | "label" | "type" | "options">;

function Value({ def, value }: { def: Def; value: unknown }) {
  switch (def.type) {
    case "multi_select":
      return (
        <span className="flex flex-wrap gap-1">
          {(Array.isArray(value) ? value : [value]).map((x) => (
            <Badge key={String(x)} variant="secondary">
              {optionLabel(def, String(x))}
            </Badge>
          ))}
        </span>
      );
    case "select":
      return <Badge variant="secondary">{optionLabel(def, String(value))}</Badge>;
    case "url":
      return (
        <a className="break-all text-primary underline-offset-4 hover:underline" href={String(value)} target="_blank" rel="noopener noreferrer nofollow">
          {String(value)}
        </a>
      );
    case "email":
      return (
        <a className="break-all text-primary underline-offset-4 hover:underline" href={`mailto:${String(value)}`}>
          {String(value)}
        </a>
      );
    case "phone":
      return (
        <a className="text-primary underline-offset-4 hover:underline" href={`tel:${String(value)}`}>
          {String(value)}
        </a>
      );
    default:
      return <span className="break-words whitespace-pre-wrap">{formatCustomValue(def, value)}</span>;
  }
}

/**
 * A record's custom values as a label/value list (server or client). Fields
 * without a value are left out unless `showEmpty`.
 */
export function CustomFieldValues({
  defs,
  values,
  showEmpty = false,
  className,
}: {
  defs: readonly Def[];
  values: Record<string, unknown> | null | undefined;
  showEmpty?: boolean;
  className?: string;
}) {
  const shown = defs.filter((d) => showEmpty || formatCustomValue(d, values?.[d.key]) !== "");
  if (!shown.length) return null;
  return (
    <dl className={cn("grid gap-3 text-sm", className)}>
      {shown.map((d) => {
        const v = values?.[d.key];
        return (
          <div key={d.key} className="grid gap-0.5">
            <dt className="text-muted-foreground">{d.label}</dt>
            <dd>{formatCustomValue(d, v) === "" ? <span className="text-muted-foreground">—</span> : <Value def={d} value={v} />}</dd>
          </div>
        );
      })}
    </dl>
  );
}
