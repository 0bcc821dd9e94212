// How a Meta lead's answers become lead fields. A form's mapping names, per
// question key, a lead field, a custom field (`custom:<key>`) or `ignore`;
// keys it leaves out take the defaults below, and answers nothing claims
// are kept in the lead's message as "Label: answer" lines, so nothing the
// person typed is lost (the raw lead is kept as well). Web-standard: the
// fetch job (Deno) and the settings page (Node) both use it.

export const LEAD_TARGETS = ["first_name", "last_name", "full_name", "email", "phone", "company_name", "state", "message"] as const;
export type LeadTarget = (typeof LEAD_TARGETS)[number];
export type MappingTarget = LeadTarget | `custom:${string}` | "ignore";
export type FieldMapping = Record<string, MappingTarget>;

export const TARGET_LABELS: Record<LeadTarget | "ignore", string> = {
  first_name: "First name",
  last_name: "Last name",
  full_name: "Full name (split into first and last)",
  email: "Email",
  phone: "Phone",
  company_name: "Company",
  state: "State",
  message: "Message",
  ignore: "Ignore",
};

/** Meta's standard question keys (and common custom ones) and where they go unless a form says otherwise. */
export const DEFAULT_MAPPING: FieldMapping = {
  full_name: "full_name",
  first_name: "first_name",
  last_name: "last_name",
  email: "email",
  work_email: "email",
  phone_number: "phone",
  phone: "phone",
  work_phone_number: "phone",
  company_name: "company_name",
  state: "state",
  province: "state",
};

const CUSTOM = /^custom:[a-z][a-z0-9_]{0,62}$/;

export function isMappingTarget(v: unknown): v is MappingTarget {
  return typeof v === "string" && (v === "ignore" || (LEAD_TARGETS as readonly string[]).includes(v) || CUSTOM.test(v));
}

/** Where `key` goes under `mapping`: the form's choice, else the default, else the message. */
export function targetOf(key: string, mapping: FieldMapping): MappingTarget {
  return mapping[key] ?? DEFAULT_MAPPING[key] ?? "message";
}

export interface MappedLead {
  fields: {
    firstName?: string;
    lastName?: string;
    email?: string;
    phone?: string;
    companyName?: string;
    state?: string;
    message?: string;
  };
  custom: Record<string, string>;
}

function splitName(full: string): { firstName?: string; lastName?: string } {
  const parts = full.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return {};
  if (parts.length === 1) return { firstName: parts[0] };
  return { firstName: parts.slice(0, -1).join(" "), lastName: parts[parts.length - 1] };
}

/** Maps Meta's `field_data` through a form's mapping. `labels` (question key → label) words the message lines. */
export function mapFieldData(
  fieldData: { name: string; values: string[] }[],
  mapping: FieldMapping,
  labels: Record<string, string> = {},
): MappedLead {
  const fields: MappedLead["fields"] = {};
  const custom: Record<string, string> = {};
  const message: string[] = [];
  for (const { name, values } of fieldData) {
    const value = (values ?? []).map((v) => String(v).trim()).filter(Boolean).join(", ");
    if (!value) continue;
    const target = targetOf(name, mapping);
    switch (target) {
      case "ignore":
        break;
      case "full_name": {
        const split = splitName(value);
        fields.firstName ??= split.firstName;
        fields.lastName ??= split.lastName;
        break;
      }
      case "first_name":
        fields.firstName = value;
        break;
      case "last_name":
        fields.lastName = value;
        break;
      case "email":
        fields.email ??= value.toLowerCase();
        break;
      case "phone":
        fields.phone ??= value;
        break;
      case "company_name":
        fields.companyName ??= value;
        break;
      case "state":
        fields.state ??= value;
        break;
      case "message":
        message.push(`${labels[name] ?? name}: ${value}`);
        break;
      default:
        custom[target.slice("custom:".length)] = value;
    }
  }
  if (message.length) fields.message = message.join("\n");
  return { fields, custom };
}
