import type { Operation } from "./core/operation";
import { adSpendOperations } from "./resources/ad-spend";
import { callOperations } from "./resources/calls";
import { companiesOperations } from "./resources/companies";
import { dealDateOperations } from "./resources/deal-dates";
import { dealHandoffOperations } from "./resources/deal-handoffs";
import { dealOperations } from "./resources/deals";
import { emailOperations } from "./resources/emails";
import { leadOperations } from "./resources/leads";
import { matchOperations } from "./resources/matches";
import { meOperations } from "./resources/me";
import { messageOperations } from "./resources/messages";
import { noteOperations } from "./resources/notes";
import { peopleOperations } from "./resources/people";
import { pipelineOperations } from "./resources/pipelines";
import { taskOperations } from "./resources/tasks";
import { timelineOperations } from "./resources/timeline";

/**
 * Every REST operation: the router serves them (under server.ts and through
 * the catch-all route) and the OpenAPI document describes them.
 */
export const operations: Operation[] = [
  ...meOperations,
  ...leadOperations,
  ...peopleOperations,
  ...companiesOperations,
  ...timelineOperations,
  ...dealOperations,
  ...dealHandoffOperations,
  ...dealDateOperations,
  ...matchOperations,
  ...pipelineOperations,
  ...taskOperations,
  ...noteOperations,
  ...adSpendOperations,
  ...messageOperations,
  ...emailOperations,
  ...callOperations,
];
