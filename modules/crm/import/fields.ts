// What a CSV column can be imported into, per object, and the mapping
// suggested from the file's headers. Client-safe (the mapping step renders
// these lists).

export type ImportObject = "person" | "company" | "deal";

export const IMPORT_OBJECTS: readonly ImportObject[] = ["person", "company", "deal"];

export const OBJECT_LABELS: Record<ImportObject, { one: string; many: string }> = {
  person: { one: "person", many: "People" },
  company: { one: "company", many: "Companies" },
  deal: { one: "deal", many: "Deals" },
};

export interface ImportField {
  /** Target: a column name, a resolved reference (company, owner, ...), or `custom.<key>`. */
  key: string;
  label: string;
  /** Header spellings that map to this field, compared after normalising (see headerKey). */
  synonyms: readonly string[];
  /** Shown next to the field in the mapping step. */
  hint?: string;
}

const PERSON_FIELDS: ImportField[] = [
  { key: "first_name", label: "First name", synonyms: ["first name", "first", "firstname", "given name", "forename", "fname"] },
  { key: "last_name", label: "Last name", synonyms: ["last name", "last", "lastname", "surname", "family name", "lname"] },
  {
    key: "full_name",
    label: "Full name",
    synonyms: ["name", "full name", "fullname", "contact", "contact name", "person", "person name"],
    hint: "Split at the last space into first and last name",
  },
  {
    key: "email",
    label: "Email",
    synonyms: ["email", "e-mail", "email address", "e-mail address", "mail", "work email", "primary email"],
  },
  {
    key: "phone",
    label: "Phone",
    synonyms: ["phone", "phone number", "mobile", "mobile phone", "mobile number", "cell", "cell phone", "telephone", "tel", "work phone"],
  },
  { key: "title", label: "Job title", synonyms: ["title", "job title", "position", "role", "job"] },
  {
    key: "company",
    label: "Company",
    synonyms: ["company", "company name", "organization", "organisation", "account", "account name", "employer"],
    hint: "Linked to the company with this name, or a new company",
  },
  { key: "linkedin_url", label: "LinkedIn", synonyms: ["linkedin", "linkedin url", "linkedin profile"] },
  { key: "website", label: "Website", synonyms: ["website", "web site", "url", "homepage", "web"] },
  { key: "address_line1", label: "Address line 1", synonyms: ["address", "address line 1", "address 1", "street", "street address"] },
  { key: "address_line2", label: "Address line 2", synonyms: ["address line 2", "address 2", "suite", "apt"] },
  { key: "city", label: "City", synonyms: ["city", "town", "locality"] },
  { key: "state", label: "State", synonyms: ["state", "state/province", "province", "region", "state province", "st"] },
  { key: "postal_code", label: "Postal code", synonyms: ["zip", "zip code", "zipcode", "postal code", "postcode", "post code"] },
  { key: "country", label: "Country", synonyms: ["country", "country/region", "nation"] },
  { key: "source", label: "Source", synonyms: ["source", "lead source", "origin"] },
  { key: "tags", label: "Tags", synonyms: ["tags", "tag", "labels", "label"], hint: "Separated by commas" },
  { key: "owner", label: "Owner", synonyms: ["owner", "owner email", "assigned to", "assignee", "account owner", "contact owner"], hint: "A member's email or name" },
];

const COMPANY_FIELDS: ImportField[] = [
  { key: "name", label: "Name", synonyms: ["name", "company", "company name", "organization", "organisation", "account name", "account"] },
  { key: "domain", label: "Domain", synonyms: ["domain", "company domain", "email domain"] },
  { key: "website", label: "Website", synonyms: ["website", "web site", "url", "homepage", "web"] },
  { key: "email", label: "Email", synonyms: ["email", "e-mail", "email address", "e-mail address"] },
  { key: "phone", label: "Phone", synonyms: ["phone", "phone number", "telephone", "tel", "main phone"] },
  { key: "industry", label: "Industry", synonyms: ["industry", "sector", "vertical"] },
  { key: "employee_count", label: "Employees", synonyms: ["employees", "employee count", "number of employees", "headcount", "size", "company size"] },
  { key: "description", label: "Description", synonyms: ["description", "about", "notes", "note"] },
  { key: "linkedin_url", label: "LinkedIn", synonyms: ["linkedin", "linkedin url", "linkedin page"] },
  { key: "address_line1", label: "Address line 1", synonyms: ["address", "address line 1", "address 1", "street", "street address"] },
  { key: "address_line2", label: "Address line 2", synonyms: ["address line 2", "address 2", "suite"] },
  { key: "city", label: "City", synonyms: ["city", "town", "locality"] },
  { key: "state", label: "State", synonyms: ["state", "state/province", "province", "region", "state province"] },
  { key: "postal_code", label: "Postal code", synonyms: ["zip", "zip code", "zipcode", "postal code", "postcode", "post code"] },
  { key: "country", label: "Country", synonyms: ["country", "country/region", "nation"] },
  { key: "tags", label: "Tags", synonyms: ["tags", "tag", "labels", "label"], hint: "Separated by commas" },
  { key: "owner", label: "Owner", synonyms: ["owner", "owner email", "assigned to", "account owner", "company owner"], hint: "A member's email or name" },
];

const DEAL_FIELDS: ImportField[] = [
  { key: "name", label: "Name", synonyms: ["name", "deal", "deal name", "title", "opportunity", "opportunity name"] },
  { key: "pipeline", label: "Pipeline", synonyms: ["pipeline", "pipeline name"], hint: "By name; the first pipeline when not mapped or blank" },
  { key: "stage", label: "Stage", synonyms: ["stage", "deal stage", "status", "stage name"], hint: "By name, within the deal's pipeline" },
  { key: "value", label: "Value", synonyms: ["value", "amount", "deal value", "price", "revenue", "deal amount"] },
  { key: "currency", label: "Currency", synonyms: ["currency", "currency code"], hint: "3-letter code; the organization's default when blank" },
  { key: "expected_close_date", label: "Expected close date", synonyms: ["expected close date", "close date", "expected close", "closing date"], hint: "YYYY-MM-DD" },
  { key: "company", label: "Company", synonyms: ["company", "company name", "organization", "organisation", "account"], hint: "Linked to the company with this name, or a new company" },
  { key: "person", label: "Person (email)", synonyms: ["person", "contact", "contact email", "person email", "email", "e-mail"], hint: "Linked to the person with this email" },
  { key: "tags", label: "Tags", synonyms: ["tags", "tag", "labels"], hint: "Separated by commas" },
  { key: "owner", label: "Owner", synonyms: ["owner", "owner email", "deal owner", "assigned to"], hint: "A member's email or name" },
];

export function builtInFields(object: ImportObject): ImportField[] {
  return object === "person" ? PERSON_FIELDS : object === "company" ? COMPANY_FIELDS : DEAL_FIELDS;
}

/** Custom fields as import targets; their label and key both count as synonyms. */
export function importFields(object: ImportObject, custom: readonly { key: string; label: string }[]): ImportField[] {
  return [
    ...builtInFields(object),
    ...custom.map((d) => ({ key: `custom.${d.key}`, label: d.label, synonyms: [d.label, d.key, d.key.replace(/_/g, " ")] })),
  ];
}

/** What must be mapped before an import can run, and why. */
export function requiredMappings(object: ImportObject): { anyOf: string[]; message: string }[] {
  if (object === "person") {
    return [{ anyOf: ["first_name", "last_name", "full_name", "email"], message: "Map a name or an email column: a person needs one of them" }];
  }
  if (object === "company") return [{ anyOf: ["name"], message: "Map a column to Name: every company needs a name" }];
  return [
    { anyOf: ["name"], message: "Map a column to Name: every deal needs a name" },
    { anyOf: ["stage"], message: "Map a column to Stage: every deal is in a stage of a pipeline" },
  ];
}

/** "E-Mail Address", "email_address" and " Email  address " compare equal. */
export function headerKey(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[_\s]+/g, " ")
    .replace(/\s*([/-])\s*/g, "$1")
    .trim();
}

const loose = (s: string) => headerKey(s).replace(/[^a-z0-9]/g, "");

/**
 * A target per column (by header index), from the header text: exact
 * synonyms first, then the same letters ignoring punctuation. Each target is
 * used once; the first column wins, later look-alikes stay unmapped.
 */
export function suggestMapping(headers: readonly string[], fields: readonly ImportField[]): Record<string, string> {
  const exact = new Map<string, string>();
  const fuzzy = new Map<string, string>();
  for (const f of fields) {
    for (const s of [f.label, f.key, ...f.synonyms]) {
      if (!exact.has(headerKey(s))) exact.set(headerKey(s), f.key);
      if (!fuzzy.has(loose(s))) fuzzy.set(loose(s), f.key);
    }
  }
  // Custom fields named exactly like a header beat a built-in synonym.
  for (const f of fields) {
    if (f.key.startsWith("custom.")) {
      exact.set(headerKey(f.label), f.key);
      fuzzy.set(loose(f.label), f.key);
    }
  }
  const used = new Set<string>();
  const mapping: Record<string, string> = {};
  const pick = (lookup: (h: string) => string | undefined) => {
    headers.forEach((h, i) => {
      if (mapping[i] !== undefined) return;
      const target = lookup(h);
      if (target && !used.has(target)) {
        mapping[i] = target;
        used.add(target);
      }
    });
  };
  pick((h) => exact.get(headerKey(h)));
  pick((h) => fuzzy.get(loose(h)));
  return mapping;
}
