import { buildOpenApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";
import { operations } from "@/modules/api/operations";

let doc: ReturnType<typeof buildOpenApiDocument> | undefined;

/** The OpenAPI 3.1 document of /api/v1, generated from the operations' zod schemas. */
export function GET() {
  doc ??= buildOpenApiDocument(operations, { serverUrl: `${env().APP_URL}/api/v1`, version: "1.0.0" });
  return Response.json(doc, { headers: { "Access-Control-Allow-Origin": "*" } });
}
