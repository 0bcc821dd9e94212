"use client";

import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { API_FAMILIES, API_SCOPES, type ApiFamily, type ApiScope, FAMILY_LABELS } from "@/lib/api/scopes";

const ACCESS = ["read", "write"] as const;
type Access = (typeof ACCESS)[number];

/** The family's scope for `access`, or null where there is none (reports are read-only). */
function scopeOf(family: ApiFamily, access: Access): ApiScope | null {
  const scope = `${family}:${access}`;
  return (API_SCOPES as readonly string[]).includes(scope) ? (scope as ApiScope) : null;
}

/**
 * Scopes as a family × read/write grid. Write brings read along (a client
 * that changes records nearly always reads them back); clearing read clears
 * write. A read-only family has no write box.
 */
export function ScopeMatrix(props: {
  value: ApiScope[];
  onChange: (scopes: ApiScope[]) => void;
}) {
  const set = new Set<ApiScope>(props.value);
  const emit = (next: Set<ApiScope>) => props.onChange(API_SCOPES.filter((s) => next.has(s)));
  const toggle = (family: ApiFamily, access: Access, on: boolean) => {
    const next = new Set(set);
    const read = scopeOf(family, "read");
    const write = scopeOf(family, "write");
    if (on) {
      next.add(scopeOf(family, access)!);
      if (access === "write" && read) next.add(read);
    } else {
      next.delete(scopeOf(family, access)!);
      if (access === "read" && write) next.delete(write);
    }
    emit(next);
  };
  const all = (access: readonly Access[]) => emit(new Set(API_SCOPES.filter((s) => access.some((a) => s.endsWith(`:${a}`)))));

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
              {ACCESS.map((access) => {
                const scope = scopeOf(family, access);
                return (
                  <td key={access} className="py-1.5 text-center">
                    {scope ? (
                      <Checkbox
                        aria-label={`${FAMILY_LABELS[family]}: ${access}`}
                        checked={set.has(scope)}
                        onCheckedChange={(on) => toggle(family, access, on === true)}
                      />
                    ) : (
                      <span className="text-muted-foreground" title="Read-only">
                        —
                      </span>
                    )}
                  </td>
                );
              })}
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
