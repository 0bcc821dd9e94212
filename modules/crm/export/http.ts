// `GET /api/crm/export/<person|company|deal|task>?<list state>&ids=a,b,c`:
// streams the CSV of every matching row. Bound to the session lookup by the
// route file, so tests call it with a Request.

import { can } from "@/lib/auth/permissions";
import type { Database } from "@/lib/db";
import { DomainError, errorResponse, fieldError, forbidden, isDomainError, notFound } from "@/lib/errors";
import { DEFAULT_TIME_ZONE } from "@/lib/time";
import type { HttpSession } from "@/modules/crm/import";
import { listQueryError } from "@/modules/crm/lists";
import { parseListState, UUID_RE } from "@/modules/crm/lists/ui";
import { EXPORT_OBJECTS, type ExportObject, exportCsv, exportFileName } from "./service";

const MAX_IDS = 10_000;

interface Deps {
  session: () => Promise<HttpSession | null>;
  database: () => Database;
  /** The member's zone, in which instants are written; UTC when not given. */
  timeZone?: () => Promise<string>;
  log?: (error: unknown, message: string) => void;
}


export function createExportHandler(deps: Deps) {
  return async function exportList(request: Request, object: string): Promise<Response> {
    const session = await deps.session();
    if (!session) return errorResponse(new DomainError("unauthorized"));
    if (!can(session.role, "records.export")) return errorResponse(forbidden("You don't have permission to export records."));
    if (!(EXPORT_OBJECTS as readonly string[]).includes(object)) {
      return errorResponse(notFound("Only people, companies, deals and tasks can be exported."));
    }
    const params = new URL(request.url).searchParams;
    const parsed = parseListState(params);
    if (!parsed.ok) return errorResponse(listQueryError(parsed.issues));
    let ids: string[] | undefined;
    const rawIds = params.get("ids");
    if (rawIds !== null) {
      ids = rawIds.split(",").filter(Boolean);
      if (ids.length > MAX_IDS) return errorResponse(fieldError("ids", `Select at most ${MAX_IDS.toLocaleString("en-US")} records, or export the whole list.`));
      if (ids.some((id) => !UUID_RE.test(id))) return errorResponse(fieldError("ids", "The selection contains an invalid record id."));
    }

    const timeZone = (await deps.timeZone?.()) ?? DEFAULT_TIME_ZONE;

    // The export runs in one transaction (one consistent snapshot) that
    // stays open while the CSV streams; the answer waits for the first page
    // so a bad filter is a 400, not a broken download.
    const encoder = new TextEncoder();
    const stream = new TransformStream<Uint8Array, Uint8Array>();
    const writer = stream.writable.getWriter();
    let firstPage!: (error: unknown) => void;
    const started = new Promise<unknown>((resolve) => (firstPage = resolve));
    const done = deps
      .database()
      .asUser(session.claims, async (tx) => {
        let first = true;
        for await (const chunk of exportCsv(tx, object as ExportObject, parsed.state, { ids, userId: session.user.id, timeZone })) {
          if (first) firstPage(null);
          first = false;
          await writer.write(encoder.encode(chunk));
        }
      })
      .then(() => writer.close())
      .catch(async (e) => {
        firstPage(e);
        deps.log?.(e, "export failed");
        await writer.abort(e).catch(() => {});
      });
    const error = await started;
    if (error) {
      await done;
      return errorResponse(isDomainError(error) ? error : new DomainError("internal_error", "The export failed. Try again in a moment."));
    }
    return new Response(stream.readable, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${exportFileName(object as ExportObject, new Date(), timeZone)}"`,
        "cache-control": "no-store",
      },
    });
  };
}
