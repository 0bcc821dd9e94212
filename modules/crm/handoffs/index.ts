// Server face of crm/handoffs: the handoff queue and the submit, accept and
// deny services.
export { countHandoffsToDecide, type DealHandoffState, getDealHandoffState, listHandoffQueue, listHandoffSettings, type QueuedHandoff } from "./queries";
export { acceptHandoff, denyHandoff, setPipelineHandoffs, submitHandoff } from "./service";
