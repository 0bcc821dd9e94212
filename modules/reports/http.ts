// `GET /api/reports/<slug>/csv?<the report's query>`: the rows the report page
// shows for the same query, as a CSV file. Bound to the session lookup by
// the route file, so tests call it with a Request.

import { can } from "@/lib/auth/permissions";
import type { Claims, Database } from "@/lib/db";
import { toCsv } from "@/lib/csv";
import { DomainError, errorResponse, forbidden } from "@/lib/errors";
import type { Role } from "@/lib/auth/permissions";
import { DEFAULT_TIME_ZONE } from "@/lib/time";
import { reportCsvRows, runReport } from "./service";

interface Deps {
  session: () => Promise<{ claims: Claims; role: Role } | null>;
  database: () => Database;
  /** The reader's zone, whose calendar the range and buckets follow; UTC when not given. */
  timeZone?: () => Promise<string>;
  log?: (error: unknown) => void;
}

export function createReportCsvHandler(deps: Deps) {
  return async function reportCsv(request: Request, slug: string): Promise<Response> {
    try {
      const session = await deps.session();
      if (!session) throw new DomainError("unauthorized");
      if (!can(session.role, "reports.view")) throw forbidden("Reports are for managers, admins and owners.");
      const timeZone = (await deps.timeZone?.()) ?? DEFAULT_TIME_ZONE;
      const query = new URL(request.url).searchParams;
      const run = await deps.database().asUser(session.claims, (tx) => runReport(tx, slug, query, timeZone));
      const { headers, rows } = reportCsvRows(run);
      return new Response(toCsv(headers, rows), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${run.fileName}"`,
          "cache-control": "no-store",
        },
      });
    } catch (e) {
      return errorResponse(e, deps.log);
    }
  };
}
