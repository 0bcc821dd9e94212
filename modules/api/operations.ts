import type { Operation } from "@/lib/api/operation";
import { meOperations } from "./resources/me";

/**
 * Every REST operation, for the OpenAPI document. A resource module exports
 * its operations; its route files export their `handler`s.
 */
export const operations: Operation[] = [...meOperations];
