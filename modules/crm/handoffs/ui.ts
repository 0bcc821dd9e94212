// Browser-safe face of crm/handoffs: the deal page's strip, the queue and
// its buttons, the server actions and schemas.
export { acceptHandoffAction, denyHandoffAction, setPipelineHandoffsAction, submitHandoffAction } from "./actions";
export { AcceptHandoffButton } from "./components/accept-handoff-button";
export { DealHandoffPanel } from "./components/deal-handoff-panel";
export { DenyHandoffButton } from "./components/deny-handoff-dialog";
export { HandoffQueue } from "./components/handoff-queue";
export { HandoffSettings, type HandoffSettingsPipeline } from "./components/handoff-settings";
export { denyHandoffSchema, handoffDealSchema, pipelineHandoffsSchema, submitHandoffSchema } from "./schema";
