// Browser-safe face of calls: "Log call", click-to-call, their server actions, the input schemas and labels.
export { LogCallDialog } from "./components/log-call-dialog";
export { CallButton, type CallRecord, LiveCallRefresh, useClickToCall } from "./components/click-to-call";
export { DevAgentPhone } from "./components/dev-agent-phone";
export { logCallAction, placeCallAction } from "./actions";
export { CALL_OUTCOMES, CALL_STATUS_LABELS, formatDuration, type LogCallInput, logCallSchema, type PlaceCallInput, placeCallSchema } from "./schema";
export { DevCaller } from "./components/dev-caller";
