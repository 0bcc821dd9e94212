// Server face of crm/handoffs: the handoff queue and the submit, accept and
// deny services.
export { countHandoffsToDecide, type DealHandoffState, getDealHandoffState, listHandoffQueue, type QueuedHandoff } from "./queries";
export { acceptHandoff, denyHandoff, submitHandoff } from "./service";
