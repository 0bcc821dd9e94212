// Browser-safe face of crm/custom-fields: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { CustomFieldInputs, customFormDefaults } from "./components/custom-field-inputs";
export { CustomFieldsSettings } from "./components/custom-fields-settings";
export { compactCustom, customValuesSchema, normalizeCustomValue } from "./schema";
export { CRM_OBJECTS, type CrmObject, type CustomFieldDef } from "./types";
