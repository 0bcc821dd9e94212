// Server face of webhooks: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { EndpointStatusBadge, OutcomeBadge } from "./components/endpoint-status";
export { FailingEndpointsAlert, FailingEndpointsBanner } from "./components/failing-endpoints-alert";
export { type EndpointDetail, getEndpoint, listAttempts, listDeadLetters, listEndpoints, listFailingEndpoints, STATS_DAYS } from "./queries";
export { urlProblem as webhookUrlProblem } from "./service";
