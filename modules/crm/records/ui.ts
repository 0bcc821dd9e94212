// Browser-safe face of crm/records: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { type Actor, addressShape, ALWAYS, asJsonb, commonShape, defined, fromDbError, normalizeState, notFound, requireRole, stateIssue, stateTransform, withNormalizedState, zId, zText } from "./input";
export { recordHref, type RecordRef, recordRefSchema, type RecordType } from "./subject";
export { AddressSection, dateInputValue, FormSection, nativeSelectClass, OwnerField, recordFormDefaults, RecordFormEnd, TextAreaField } from "./components/form-parts";
export { OwnerPicker } from "./components/owner-picker";
export { RecordActions } from "./components/record-actions";
export { type PropertyAction, RecordProperties, type RecordProperty } from "./components/record-properties";
export { EditRecordButton, NewRecordButton } from "./components/record-form-dialog";
