// The embeddable snippet an admin pastes into their own site: a plain HTML
// form that posts to the endpoint and works without JavaScript, and a small
// inline script that, when it runs, fetches the fill-time token, copies the
// page's UTM parameters into hidden fields and sends the form as JSON so the
// visitor stays on the page.
import { type FormField, RESERVED } from "./schema";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const esc = (text: string) => text.replace(/[&<>"]/g, (c) => ESCAPES[c]);

function control(f: FormField, id: string): string {
  const attrs = `id="${id}" name="${f.name}"${f.required ? " required" : ""}`;
  if (f.type === "textarea") return `<textarea ${attrs} rows="4"></textarea>`;
  if (f.type === "select") {
    return `<select ${attrs}>\n      <option value="">Choose…</option>\n${(f.options ?? [])
      .map((o) => `      <option>${esc(o)}</option>`)
      .join("\n")}\n    </select>`;
  }
  return `<input type="${f.type}" ${attrs}>`;
}

// Kept small and dependency-free; runs on any page. `F` is the form element.
const SCRIPT = `(function (F) {
  // The server's messages, beside each field, replace the browser's own.
  F.noValidate = true;
  var action = F.getAttribute("action");
  var q = new URLSearchParams(location.search);
  ${JSON.stringify(RESERVED.utm)}.forEach(function (k) { if (q.get(k)) F.elements[k].value = q.get(k); });
  fetch(action + "/token").then(function (r) { return r.json(); }).then(function (b) { if (b.token) F.elements["${RESERVED.token}"].value = b.token; });
  var status = F.querySelector("[data-covey-status]");
  F.addEventListener("submit", function (e) {
    e.preventDefault();
    var body = {};
    new FormData(F).forEach(function (v, k) { body[k] = v; });
    F.querySelectorAll("[data-covey-error]").forEach(function (el) { el.textContent = ""; });
    status.textContent = "Sending…";
    fetch(action, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        if (res.ok) {
          if (res.body.redirect_url) { location.href = res.body.redirect_url; return; }
          F.replaceChildren(Object.assign(document.createElement("p"), { textContent: res.body.message, role: "status" }));
          return;
        }
        var err = res.body.error || {}, details = err.details || {};
        Object.keys(details).forEach(function (k) {
          var el = F.querySelector('[data-covey-error="' + k + '"]');
          if (el) el.textContent = details[k][0];
        });
        status.textContent = (details._ && details._[0]) || err.message || "The form could not be sent.";
        if (details._) fetch(action + "/token").then(function (r) { return r.json(); }).then(function (b) { if (b.token) F.elements["${RESERVED.token}"].value = b.token; });
      })
      .catch(function () { status.textContent = "The form could not be sent. Try again."; });
  });
})(document.currentScript.previousElementSibling);`;

/** The snippet for a form served from `appUrl`. */
export function embedSnippet(
  form: { key: string; fields: FormField[]; honeypot_field: string },
  appUrl: string,
  turnstile: { siteKey: string; scriptUrl: string } | null = null,
): string {
  const action = `${appUrl.replace(/\/+$/, "")}/f/${form.key}`;
  const fields = form.fields
    .map((f) => {
      const id = `covey-${form.key}-${f.name}`;
      return `  <p>\n    <label for="${id}">${esc(f.label)}${f.required ? " *" : ""}</label>\n    ${control(f, id)}\n    <small data-covey-error="${f.name}"></small>\n  </p>`;
    })
    .join("\n");
  const hidden = [RESERVED.token, ...RESERVED.utm].map((n) => `  <input type="hidden" name="${n}">`).join("\n");
  return `<form action="${action}" method="post" data-covey-form>
${fields}
${hidden}
  <div style="position:absolute;left:-10000px" aria-hidden="true"><input name="${form.honeypot_field}" tabindex="-1" autocomplete="off"></div>
${turnstile ? `  <div class="cf-turnstile" data-sitekey="${esc(turnstile.siteKey)}"></div>\n` : ""}  <button type="submit">Send</button>
  <p data-covey-status role="status"></p>
</form>
<script>${SCRIPT}</script>${turnstile ? `\n<script src="${esc(turnstile.scriptUrl)}" async defer></script>` : ""}`;
}
