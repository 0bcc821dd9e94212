// Custom field definitions as the app uses them (server and client).

export const CRM_OBJECTS = ["person", "company", "deal", "lead"] as const;
export type CrmObject = (typeof CRM_OBJECTS)[number];

export const CUSTOM_FIELD_TYPE_LABELS = {
  text: "Text",
  number: "Number",
  date: "Date",
  select: "Select",
  multi_select: "Multi-select",
  checkbox: "Checkbox",
  url: "URL",
  email: "Email",
  phone: "Phone",
} as const;
export type CustomFieldType = keyof typeof CUSTOM_FIELD_TYPE_LABELS;
export const CUSTOM_FIELD_TYPES = Object.keys(CUSTOM_FIELD_TYPE_LABELS) as CustomFieldType[];

export interface CustomFieldOption {
  value: string;
  label: string;
}

export interface CustomFieldDef {
  id: string;
  objectType: CrmObject;
  /** Name in the record's `custom` jsonb, filters (`custom.<key>`), imports and the API. */
  key: string;
  label: string;
  type: CustomFieldType;
  /** select / multi_select only. */
  options: CustomFieldOption[];
  required: boolean;
  position: number;
  archivedAt: Date | null;
}

/** A stored custom value: text-like and date as string, number, checkbox, multi-select as string[]. */
export type CustomValue = string | number | boolean | string[];
export type CustomValues = Record<string, CustomValue>;
