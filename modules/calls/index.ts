// Server face of calls: what pages, route handlers and other modules' server code may use.
export { type LoggedCall, logCall } from "./service";
export { CALL_OUTCOMES, type CallOutcome } from "./schema";
export { createRecordingHandler } from "./recording";
export { bridgeTwiml, type MemberRun, type PlacedCall, placeCall } from "./place";
