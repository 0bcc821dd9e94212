// Browser-safe face of crm/lists: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { checkFilter, customFieldToListField, type FieldOption, type FieldType, type ListField, type ListFieldSql, ME, opLabel, opsFor, rowsForColumns, toClientFields, UUID_RE, visibleColumns } from "./fields";
export { COUNT_CAP, type Filter, filterSchema, LIST_OPS, type ListState, type Op, filtersOnDays, parseListState, readsCustomFields, sameListState, serializeListState, type Sort, toViewState, VALUELESS_OPS } from "./state";
export { suggestTagsAction } from "./actions";
export { createView, deleteView, renameView, updateViewState } from "./views/actions";
