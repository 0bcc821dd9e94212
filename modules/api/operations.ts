import type { Operation } from "@/lib/api/operation";
import { companiesOperations } from "./resources/companies";
import { dealOperations } from "./resources/deals";
import { meOperations } from "./resources/me";
import { noteOperations } from "./resources/notes";
import { peopleOperations } from "./resources/people";
import { pipelineOperations } from "./resources/pipelines";
import { taskOperations } from "./resources/tasks";
import { timelineOperations } from "./resources/timeline";

/**
 * Every REST operation, for the OpenAPI document. A resource module exports
 * its operations; its route files export their `handler`s.
 */
export const operations: Operation[] = [
  ...meOperations,
  ...peopleOperations,
  ...companiesOperations,
  ...timelineOperations,
  ...dealOperations,
  ...pipelineOperations,
  ...taskOperations,
  ...noteOperations,
];
