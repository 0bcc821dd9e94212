// {{variables}} in an email's subject and body, filled from the record it is sent from.

/** The variables a subject or body may use, with what each stands for. */
export const EMAIL_VARIABLES = {
  first_name: "the person's first name",
  last_name: "the person's last name",
  full_name: "the person's full name",
  email: "the person's email",
  company: "the person's company",
  my_name: "your name",
} as const;
export type EmailVariables = Record<keyof typeof EMAIL_VARIABLES, string>;

/** Replaces {{name}} with its value (HTML-escaped when `html`); an unknown name is left as typed. */
export function fillVariables(text: string, values: EmailVariables, html: boolean): string {
  return text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => {
    if (!Object.hasOwn(values, name)) return whole;
    const v = values[name as keyof EmailVariables] ?? "";
    return html ? v.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!) : v;
  });
}
