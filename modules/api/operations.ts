import type { Operation } from "@/lib/api/operation";
import { companiesOperations } from "./resources/companies";
import { meOperations } from "./resources/me";
import { peopleOperations } from "./resources/people";
import { timelineOperations } from "./resources/timeline";

/**
 * Every REST operation, for the OpenAPI document. A resource module exports
 * its operations; its route files export their `handler`s.
 */
export const operations: Operation[] = [...meOperations, ...peopleOperations, ...companiesOperations, ...timelineOperations];
