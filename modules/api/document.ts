import { env } from "@/lib/env";
import { buildOpenApiDocument } from "@/modules/api/core/openapi";
import { operations } from "./operations";

/** The REST API's version, as the OpenAPI document states it. */
export const API_VERSION = "1.0.0";

let doc: ReturnType<typeof buildOpenApiDocument> | undefined;

/**
 * The OpenAPI document of /api/v1: served at /api/v1/openapi.json and
 * rendered by the reference pages. Operations are fixed at build time, so it
 * is built once.
 */
export function apiDocument() {
  doc ??= buildOpenApiDocument(operations, { serverUrl: `${env().APP_URL.replace(/\/$/, "")}/api/v1`, version: API_VERSION });
  return doc;
}
