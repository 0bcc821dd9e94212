import { apiDocument } from "@/modules/api/document";

/** The OpenAPI 3.1 document of /api/v1, generated from the operations' zod schemas. */
export function GET() {
  return Response.json(apiDocument(), { headers: { "Access-Control-Allow-Origin": "*" } });
}
