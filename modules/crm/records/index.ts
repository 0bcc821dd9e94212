// Server face of crm/records: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { recordActions } from "./actions";
export { addTag, assignOwner, deleteRecords, ensureAllFound, setArchived } from "./bulk";
export { inlineError, inlineInput } from "./inline";
