"use client";

import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { API_FAMILIES, type ApiFamily, type ApiScope, FAMILY_LABELS } from "@/lib/api/scopes";

const ACCESS = ["read", "write"] as const;

/**
 * Scopes as a family × read/write grid. Write brings read along (a client
 * that changes records nearly always reads them back); clearing read clears
 * write.
 */
export function ScopeMatrix(props: {
  value: ApiScope[];
  onChange: (scopes: ApiScope[]) => void;
}) {
  const set = new Set(props.value);
  const emit = (next: Set<ApiScope>) => props.onChange(API_FAMILIES.flatMap((f) => ACCESS.map((a) => `${f}:${a}` as const)).filter((s) => next.has(s)));
  const toggle = (family: ApiFamily, access: (typeof ACCESS)[number], on: boolean) => {
    const next = new Set(set);
    if (on) {
      next.add(`${family}:${access}`);
      if (access === "write") next.add(`${family}:read`);
    } else {
      next.delete(`${family}:${access}`);
      if (access === "read") next.delete(`${family}:write`);
    }
    emit(next);
  };
  const all = (access: readonly (typeof ACCESS)[number][]) =>
    emit(new Set(API_FAMILIES.flatMap((f) => access.map((a) => `${f}:${a}` as const))));

  return (
    <div className="grid gap-2">
      <table className="w-full text-sm">
        <caption className="sr-only">Scopes of the key</caption>
        <thead>
          <tr className="border-b text-left text-muted-foreground">
            <th scope="col" className="py-1.5 font-medium">
              Records
            </th>
            {ACCESS.map((a) => (
              <th key={a} scope="col" className="w-16 py-1.5 text-center font-medium capitalize">
                {a}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {API_FAMILIES.map((family) => (
            <tr key={family} className="border-b last:border-0">
              <th scope="row" className="py-1.5 text-left font-normal">
                {FAMILY_LABELS[family]}
              </th>
              {ACCESS.map((access) => (
                <td key={access} className="py-1.5 text-center">
                  <Checkbox
                    aria-label={`${FAMILY_LABELS[family]}: ${access}`}
                    checked={set.has(`${family}:${access}`)}
                    onCheckedChange={(on) => toggle(family, access, on === true)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" size="sm" onClick={() => all(["read"])}>
          Read everything
        </Button>
        <Button type="button" variant="outline" size="sm" onClick={() => all(["read", "write"])}>
          Full access
        </Button>
        <Button type="button" variant="ghost" size="sm" onClick={() => props.onChange([])}>
          Clear
        </Button>
      </div>
    </div>
  );
}
