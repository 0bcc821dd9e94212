// Browser-safe face of reports: components, schemas and helpers any code
// outside the module may use, client components included.
export { ReportChart, type ReportChartProps } from "./components/report-chart";
export { cellText, type Column, type ReportResult } from "./format";
export { GRANULARITIES, type Granularity, parseReportParams, PRESETS, type Preset, presetRange, type ReportParams, reportQuery } from "./params";
