// How the columns of people, companies, deals and leads read in a timeline's
// "updated" entry. Custom fields (`custom.<key>`) take the label of their
// definition; a column missing here falls back to its name made readable.

import type { RecordType } from "@/modules/crm/records/ui";

const COMMON: Record<string, string> = {
  email: "Email",
  additional_emails: "Other emails",
  phone: "Phone",
  additional_phones: "Other phones",
  website: "Website",
  linkedin_url: "LinkedIn",
  address_line1: "Address",
  address_line2: "Address line 2",
  city: "City",
  state: "State",
  postal_code: "Postal code",
  country: "Country",
  tags: "Tags",
  owner_id: "Owner",
  last_contacted_at: "Last contacted",
  company_id: "Company",
  person_id: "Person",
};

export const FIELD_LABELS: Record<RecordType, Record<string, string>> = {
  person: { ...COMMON, first_name: "First name", last_name: "Last name", title: "Job title", source: "Source" },
  company: {
    ...COMMON,
    name: "Name",
    domain: "Domain",
    industry: "Industry",
    employee_count: "Employees",
    description: "Description",
  },
  deal: {
    ...COMMON,
    name: "Name",
    value_minor: "Value",
    currency: "Currency",
    pipeline_id: "Pipeline",
    expected_close_date: "Expected close date",
    number: "Number",
    priority: "Priority",
  },
  lead: {
    ...COMMON,
    first_name: "First name",
    last_name: "Last name",
    company_name: "Company",
    message: "Message",
    source: "Source",
    status: "Status",
    utm: "UTM",
    attribution: "Attribution",
    deal_id: "Deal",
  },
};

export function fieldLabel(type: RecordType, field: string, customLabels: ReadonlyMap<string, string>): string {
  if (field.startsWith("custom.")) return customLabels.get(field.slice("custom.".length)) ?? field.slice("custom.".length);
  const known = FIELD_LABELS[type][field];
  if (known) return known;
  const words = field.replace(/_id$/, "").replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
