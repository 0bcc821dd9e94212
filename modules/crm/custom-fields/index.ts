// Server face of crm/custom-fields: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { formatCustomValue } from "./format";
export { countCustomValues, customFieldListFields, listCustomFieldDefs } from "./queries";
