// Server face of crm/records: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { recordActions } from "./actions";
export { DealList, ExternalLink, formatDay, formatPhone, MailLink, PhoneLink, Tags } from "./components/detail-parts";
export { RecordHeader } from "./components/record-header";
export { customProperties, editable, sharedProperties } from "./properties";
export { bulkWrites } from "./bulk";
export { inlineUpdate } from "./inline";
export { recordListFields, withCustomKeys } from "./list-fields";
export { parseRecordInput, recordColumns, updateRecordRow } from "./write";
export { RecordDuplicatesPage } from "./components/duplicates-page";
