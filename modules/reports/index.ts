// Server face of reports: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { ReportIndex } from "./components/report-index";
export { ReportView } from "./components/report-view";
export { listReportPipelines, type ReportContext, type ReportPipeline } from "./context";
export { createReportCsvHandler } from "./http";
export { REPORTS, reportOf } from "./registry";
export type { ReportDefinition } from "./registry-types";
export { reportCsvRows, type ReportRun, reportTitle, runReport } from "./service";
