// The import's HTTP endpoints as plain Request → Response functions, bound to
// the session lookup by the route files (app/api/crm/imports/**), so tests
// call them with a Request and a session of their choosing.
//
// Upload: `POST /api/crm/imports?object=person&name=people.csv` with the raw
// file as the body. The body is streamed and counted; past 50 MB the upload
// stops with 413. Commit: `POST /api/crm/imports/<id>/commit` with
// `{ mapping, duplicateMode }` answers NDJSON, one line per progress step and
// a last line `{"type":"done","summary":...}` or `{"type":"error","error":...}`
// (the app's one error body, its `report` listing the rows at fault). Any
// refusal before the stream starts is that error body with its status.

import { z } from "zod";
import { can, type Role } from "@/lib/auth/permissions";
import { decodeCsvBytes, parseCsv } from "@/lib/csv";
import type { Claims, Database } from "@/lib/db";
import { DomainError, type ErrorBody, errorBody, errorResponse, fieldError, forbidden, invalidInput, isDomainError } from "@/lib/errors";
import { hasNul, nulMessage, zString } from "@/lib/validation";
import { IMPORT_OBJECTS, type ImportObject } from "./fields";
import { commitImport, createImport, type ImportReport, type Progress } from "./service";

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
/** File-level problems listed in an upload's answer. */
const MAX_FILE_ERRORS = 50;

export interface HttpSession {
  claims: Claims;
  user: { id: string };
  org: { id: string };
  role: Role;
}

interface Deps {
  session: () => Promise<HttpSession | null>;
  database: () => Database;
  log?: (error: unknown, message: string) => void;
}

const refuse = (e: DomainError) => errorResponse(e);
const expired = () => new DomainError("unauthorized");
/** File-level problems, listed under `file`. */
const badFile = (message: string, problems: string[]) =>
  new DomainError("validation_failed", message, { details: { file: problems.slice(0, MAX_FILE_ERRORS) } });

const MB = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
const tooLarge = () =>
  refuse(new DomainError("payload_too_large", `The file is larger than ${MB(MAX_UPLOAD_BYTES)}. Split it into smaller files and import them one by one.`));

/** The body's bytes, or null once more than `limit` bytes arrived (the rest is not read). */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export function createUploadHandler(deps: Deps) {
  return async function upload(request: Request): Promise<Response> {
    const session = await deps.session();
    if (!session) return refuse(expired());
    if (!can(session.role, "records.work")) return refuse(forbidden("You don't have permission to import records."));
    const url = new URL(request.url);
    const object = url.searchParams.get("object") as ImportObject | null;
    if (!object || !IMPORT_OBJECTS.includes(object)) {
      return refuse(fieldError("object", "Choose what the file holds: people, companies or deals."));
    }
    const fileName = (url.searchParams.get("name") ?? "import.csv").trim().slice(0, 255) || "import.csv";
    if (hasNul(fileName)) return refuse(fieldError("name", nulMessage("The file name")));
    const declared = Number(request.headers.get("content-length") ?? "0");
    if (declared > MAX_UPLOAD_BYTES) return tooLarge();

    const bytes = await readLimited(request.body, MAX_UPLOAD_BYTES);
    if (!bytes) return tooLarge();
    if (bytes.byteLength === 0) return refuse(new DomainError("validation_failed", "The file is empty."));

    const decoded = decodeCsvBytes(bytes);
    if (!decoded.ok) return refuse(badFile(decoded.message, [decoded.message]));
    const parsed = parseCsv(decoded.value);
    if (!parsed.ok) return refuse(badFile("The file can't be imported as it is.", parsed.errors));
    if (parsed.rowErrors.length) {
      // Importing the other rows would be a partial import the user did not ask for.
      const n = parsed.rowErrors.length;
      return refuse(
        badFile(
          `${n.toLocaleString("en-US")} row${n === 1 ? "" : "s"} can't be read as ${n === 1 ? "it is" : "they are"}. Fix ${n === 1 ? "it" : "them"} and upload the file again.`,
          parsed.rowErrors.map((e) => e.message),
        ),
      );
    }
    try {
      const { id } = await deps.database().asUser(session.claims, (tx) =>
        createImport(tx, { userId: session.user.id, orgId: session.org.id, role: session.role }, {
          objectType: object,
          fileName,
          fileSize: bytes.byteLength,
          headers: parsed.headers,
          rows: parsed.rows,
          rowNumbers: parsed.rowNumbers,
        }),
      );
      return Response.json(
        { id, rows: parsed.rows.length, headers: parsed.headers, delimiter: parsed.delimiter },
        { status: 201, headers: { "cache-control": "no-store" } },
      );
    } catch (e) {
      return errorResponse(e, (err) => deps.log?.(err, "import upload failed"));
    }
  };
}

export const commitInputSchema = z.object({
  mapping: z.record(zString("Column"), zString("Field"), { error: "The column mapping is missing" }),
  duplicateMode: z.enum(["skip", "update", "create"], { error: "Choose skip, update or create for duplicates" }),
});

export type CommitLine =
  | ({ type: "progress" } & Progress)
  | { type: "done"; summary: { created: number; updated: number; skipped: number; companiesCreated: number } }
  | ({ type: "error" } & ErrorBody & { error: { report?: Pick<ImportReport, "counts" | "issues" | "problems"> } });

export function createCommitHandler(deps: Deps) {
  return async function commit(request: Request, id: string): Promise<Response> {
    const session = await deps.session();
    if (!session) return refuse(expired());
    if (!can(session.role, "records.work")) return refuse(forbidden("You don't have permission to import records."));
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return refuse(new DomainError("invalid_json", "Send the mapping as JSON."));
    }
    const input = commitInputSchema.safeParse(body);
    if (!input.success) return refuse(invalidInput(input.error.issues, input.error.issues[0].message));

    const encoder = new TextEncoder();
    const stream = new TransformStream<Uint8Array, Uint8Array>();
    const writer = stream.writable.getWriter();
    const send = (line: CommitLine) => writer.write(encoder.encode(`${JSON.stringify(line)}\n`)).catch(() => {});
    const actor = { userId: session.user.id, orgId: session.org.id, role: session.role };

    void (async () => {
      try {
        const summary = await deps.database().asUser(session.claims, (tx) =>
          commitImport(tx, actor, id, input.data, (p) => {
            void send({ type: "progress", ...p });
          }),
        );
        await send({ type: "done", summary });
      } catch (e) {
        if (!isDomainError(e)) deps.log?.(e, "import commit failed");
        const refusal = isDomainError(e)
          ? e
          : new DomainError("internal_error", "The import failed and was rolled back; nothing was imported. Try again in a moment.");
        await send({ type: "error", ...errorBody(refusal) });
      } finally {
        await writer.close().catch(() => {});
      }
    })();

    return new Response(stream.readable, {
      status: 200,
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        // no-transform keeps compression from holding progress lines back.
        "cache-control": "no-store, no-transform",
        "x-accel-buffering": "no",
      },
    });
  };
}
