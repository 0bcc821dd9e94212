import { apiDocument } from "@/modules/api/document";
import { errorStatuses, groupOperations, type OpenApiDocument, type ReferenceGroup } from "./document";

let cached: { doc: OpenApiDocument; groups: ReferenceGroup[]; errors: ReturnType<typeof errorStatuses> } | undefined;

/**
 * The OpenAPI document /api/v1/openapi.json serves, read for the reference
 * pages. Operations are fixed at build time, so it is read once.
 */
export function loadReference() {
  if (!cached) {
    const doc = apiDocument() as unknown as OpenApiDocument;
    cached = { doc, groups: groupOperations(doc), errors: errorStatuses(doc) };
  }
  return cached;
}
