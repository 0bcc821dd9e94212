// Browser-safe face of crm/values: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { currencyMinorDigits, normalizeCurrency } from "./money";
export { formatMoney, minorToDecimal, type Normalized, normalizeEmail, normalizePhone, normalizeUrl, normalizeUsState, parseMoneyToMinor, zDomain, zEmail, zLinkedIn, zPhone, zTags, zUrl } from "./normalize";
