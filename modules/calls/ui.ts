// Browser-safe face of calls: "Log call", its server action, the input schema and labels.
export { LogCallDialog } from "./components/log-call-dialog";
export { logCallAction } from "./actions";
export { CALL_OUTCOMES, CALL_STATUS_LABELS, formatDuration, type LogCallInput, logCallSchema } from "./schema";
