// The pages the public endpoint answers a browser with: the hosted form
// (`GET /f/{key}`, and again with messages when a plain HTML submission is
// refused), the thank-you page and short notices. Plain HTML and one inline
// style sheet: they work without JavaScript and load nothing else.
import { type FormField, RESERVED } from "./schema";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f4f5;color:#18181b}
main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #e4e4e7;border-radius:12px;box-shadow:0 1px 2px rgb(0 0 0 / .05)}
h1{font-size:1.375rem;margin:0 0 1.25rem}
label{display:block;font-weight:500;font-size:.9rem;margin-bottom:.25rem}
.field{margin-bottom:1rem}
input,textarea,select{width:100%;font:inherit;padding:.5rem .75rem;border:1px solid #d4d4d8;border-radius:8px;background:#fff;color:inherit}
textarea{min-height:7rem;resize:vertical}
input:focus,textarea:focus,select:focus{outline:2px solid #2563eb;outline-offset:1px;border-color:#2563eb}
[aria-invalid=true]{border-color:#dc2626}
.error{color:#b91c1c;font-size:.85rem;margin:.25rem 0 0}
.notice{border-radius:8px;padding:.75rem 1rem;margin-bottom:1.25rem;font-size:.95rem}
.notice.bad{background:#fef2f2;color:#991b1b;border:1px solid #fecaca}
.notice.good{background:#f0fdf4;color:#166534;border:1px solid #bbf7d0}
.req{color:#b91c1c}
button{font:inherit;font-weight:600;padding:.6rem 1.25rem;border:0;border-radius:8px;background:#18181b;color:#fff;cursor:pointer}
button:focus-visible{outline:2px solid #2563eb;outline-offset:2px}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
footer{margin-top:1.5rem;font-size:.75rem;color:#71717a}
`;

function page(title: string, body: string, extraHead = ""): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><meta name="robots" content="noindex">${extraHead}<style>${STYLE}</style></head>
<body><main>${body}<footer>Powered by Covey</footer></main></body></html>`;
}

export interface FormPageInput {
  name: string;
  key: string;
  fields: FormField[];
  honeypotField: string;
  token: string;
  values?: Record<string, string>;
  /** Messages per field name; `_` is about the whole submission. */
  errors?: Record<string, string[]>;
  utm?: Record<string, string>;
  /** The Turnstile widget, when the form asks for it and a site key is set; `nonce` lets its script past the page's CSP. */
  turnstile?: { siteKey: string; scriptUrl: string; nonce: string | null } | null;
}

function control(field: FormField, value: string, error: string | undefined): string {
  const id = `f-${field.name}`;
  const common = `id="${id}" name="${escapeHtml(field.name)}"${field.required ? " required" : ""}${
    error ? ` aria-invalid="true" aria-describedby="${id}-error"` : ""
  }`;
  const autocomplete: Record<string, string> = {
    first_name: "given-name",
    last_name: "family-name",
    email: "email",
    phone: "tel",
    company_name: "organization",
  };
  const auto = field.maps_to && autocomplete[field.maps_to] ? ` autocomplete="${autocomplete[field.maps_to]}"` : "";
  switch (field.type) {
    case "textarea":
      return `<textarea ${common}>${escapeHtml(value)}</textarea>`;
    case "select":
      return `<select ${common}><option value="">Choose…</option>${(field.options ?? [])
        .map((o) => `<option${o === value ? " selected" : ""}>${escapeHtml(o)}</option>`)
        .join("")}</select>`;
    default:
      return `<input type="${field.type}" ${common} value="${escapeHtml(value)}"${auto}>`;
  }
}

/** The form as a page of its own, posting to its endpoint. */
export function formPage(input: FormPageInput): string {
  const values = input.values ?? {};
  const errors = input.errors ?? {};
  const general = errors._?.[0] ?? (Object.keys(errors).length ? "Please correct the fields marked below." : null);
  const fields = input.fields
    .map((f) => {
      const error = errors[f.name]?.[0];
      return `<div class="field"><label for="f-${f.name}">${escapeHtml(f.label)}${
        f.required ? ' <span class="req" aria-hidden="true">*</span>' : ""
      }</label>${control(f, values[f.name] ?? "", error)}${
        error ? `<p class="error" id="f-${f.name}-error">${escapeHtml(error)}</p>` : ""
      }</div>`;
    })
    .join("");
  const hidden = [
    `<input type="hidden" name="${RESERVED.token}" value="${escapeHtml(input.token)}">`,
    ...Object.entries(input.utm ?? {}).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`),
  ].join("");
  const body = `<h1>${escapeHtml(input.name)}</h1>${general ? `<div class="notice bad" role="alert">${escapeHtml(general)}</div>` : ""}
<form method="post" action="/f/${escapeHtml(input.key)}">${hidden}${fields}
<div class="hp" aria-hidden="true"><label for="f-hp">Leave this empty</label><input id="f-hp" name="${escapeHtml(
    input.honeypotField,
  )}" tabindex="-1" autocomplete="off"></div>
${input.turnstile ? `<div class="field cf-turnstile" data-sitekey="${escapeHtml(input.turnstile.siteKey)}"></div>` : ""}
<button type="submit">Send</button></form>`;
  const ts = input.turnstile;
  return page(
    input.name,
    body,
    ts ? `<script src="${escapeHtml(ts.scriptUrl)}" async defer${ts.nonce ? ` nonce="${escapeHtml(ts.nonce)}"` : ""}></script>` : "",
  );
}

/** What a visitor sees once the submission is in (or, for a bot caught by the honeypot, seems to be). */
export function thankYouPage(name: string, message: string): string {
  return page(name, `<h1>${escapeHtml(name)}</h1><div class="notice good" role="status">${escapeHtml(message)}</div>`);
}

/**
 * Onward to the form's redirect address from Covey's own hosted page. A 303
 * would do, but the app's Content-Security-Policy (`form-action 'self'`)
 * makes the browser refuse a form submission that redirects elsewhere.
 */
export function redirectPage(name: string, url: string): string {
  const safe = escapeHtml(url);
  return page(name, `<h1>${escapeHtml(name)}</h1><p>Thank you. <a href="${safe}">Continue</a></p>`, `<meta http-equiv="refresh" content="0;url=${safe}">`);
}

/** A refusal that is not about the fields: closed form, too many submissions, origin not allowed. */
export function noticePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><div class="notice bad" role="alert">${escapeHtml(message)}</div>`);
}
