// Server face of crm/values: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { type CsvCell, decodeCsvBytes, parseCsv, toCsv } from "./csv";
export { isEmptyNote, noteHtmlToText, sanitizeNoteHtml } from "./sanitize";
