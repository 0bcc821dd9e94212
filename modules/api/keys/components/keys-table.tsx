import { Badge } from "@/components/ui/badge";
import { TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { FAMILY_LABELS } from "@/lib/api/scopes";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDateTime, formatDay, formatRelative } from "@/lib/time";
import { cn } from "@/lib/utils";
import type { ApiKeyRow, ApiKeyStatus } from "../queries";
import { scopesByFamily } from "../schema";
import { KeyActions } from "./key-actions";

const STATUS: Record<ApiKeyStatus, { label: string; variant: "default" | "secondary" | "outline" }> = {
  active: { label: "Active", variant: "default" },
  expired: { label: "Expired", variant: "secondary" },
  revoked: { label: "Revoked", variant: "outline" },
};

/** `until`: the moment something stops, shown as the last day it holds. */
async function When({ at, relative, until }: { at: Date; relative?: boolean; until?: boolean }) {
  const zone = await getTimeZone();
  return (
    <time dateTime={at.toISOString()} title={formatDateTime(at, zone)}>
      {relative ? formatRelative(at) : formatDay(until ? at.getTime() - 1 : at, zone)}
    </time>
  );
}

function Scopes({ scopes }: { scopes: string[] }) {
  return (
    <ul className="grid gap-0.5 text-xs">
      {scopesByFamily(scopes).map((s) => (
        <li key={s.family} className="whitespace-nowrap">
          {FAMILY_LABELS[s.family]}: <span className="text-muted-foreground">{s.write ? (s.read ? "read, write" : "write") : "read"}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The org's API keys; revoked ones greyed, with who revoked them and when.
 * The table may be wider than the page: its scroll region takes keyboard
 * focus even when no row has a menu (every key revoked).
 */
export function KeysTable({ keys }: { keys: ApiKeyRow[] }) {
  return (
    <div
      role="region"
      aria-label="API keys"
      tabIndex={0}
      className="relative w-full overflow-x-auto rounded-md focus-visible:ring-[3px] focus-visible:ring-ring/50 focus-visible:outline-none"
    >
      <table aria-label="API keys" className="w-full caption-bottom text-sm">
        <TableHeader>
          <TableRow>
            <TableHead>Name</TableHead>
            <TableHead>Scopes</TableHead>
            <TableHead>Created</TableHead>
            <TableHead>Last used</TableHead>
            <TableHead>Expires</TableHead>
            <TableHead>Status</TableHead>
            <TableHead className="w-12">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.map((k) => {
            const live = k.status === "active";
            return (
              <TableRow key={k.id} data-testid="api-key-row" data-key={k.prefix} data-status={k.status} className={cn(!live && "text-muted-foreground")}>
                <TableCell>
                  <span className="font-medium">{k.name}</span>
                  <span className="block font-mono text-xs whitespace-nowrap">{k.prefix}…</span>
                </TableCell>
                <TableCell>
                  <Scopes scopes={k.scopes} />
                </TableCell>
                <TableCell>
                  <When at={k.createdAt} />
                  <span className="block text-xs">by {k.createdBy ?? "a former member"}</span>
                </TableCell>
                <TableCell className="whitespace-nowrap">{k.lastUsedAt ? <When at={k.lastUsedAt} relative /> : "Never"}</TableCell>
                <TableCell className="whitespace-nowrap">{k.expiresAt ? <When at={k.expiresAt} until /> : "Never"}</TableCell>
                <TableCell>
                  <Badge variant={STATUS[k.status].variant}>{STATUS[k.status].label}</Badge>
                  {k.revokedAt ? (
                    <p className="mt-1 text-xs whitespace-nowrap">
                      by {k.revokedBy}, <When at={k.revokedAt} />
                    </p>
                  ) : null}
                </TableCell>
                <TableCell>{k.status === "revoked" ? null : <KeyActions id={k.id} name={k.name} prefix={k.prefix} />}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </table>
    </div>
  );
}
