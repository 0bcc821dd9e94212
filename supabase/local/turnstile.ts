// Stand-in for Cloudflare Turnstile on the embedded runtime, served by the
// local API at /turnstile. It speaks Turnstile's wire format and keeps the
// behaviour of Cloudflare's published testing keys, so the app's adapter
// (modules/forms/turnstile.ts) cannot tell it from Cloudflare:
//   POST /turnstile/v0/siteverify  form-encoded (or JSON) secret, response,
//        remoteip → { success, "error-codes", challenge_ts, hostname }
//   GET  /turnstile/v0/api.js      the widget script: renders each
//        `.cf-turnstile` element as a "Verify you are human" checkbox that,
//        once ticked, adds the hidden `cf-turnstile-response` input, as the
//        real widget does after its challenge.
// https://developers.cloudflare.com/turnstile/troubleshooting/testing/

/** Cloudflare's testing keys: the site key always shows a passing widget; secrets always pass, always fail, or say the token was spent. */
export const TURNSTILE_TEST_KEYS = {
  siteKey: "1x00000000000000000000AA",
  passSecret: "1x0000000000000000000000000000000AA",
  failSecret: "2x0000000000000000000000000000000AA",
  spentSecret: "3x0000000000000000000000000000000AA",
} as const;

/** What a testing site key's widget hands the page. */
export const DUMMY_TOKEN = "XXXX.DUMMY.TOKEN.XXXX";

const WIDGET = `(function () {
  function render(el) {
    if (el.dataset.rendered) return;
    el.dataset.rendered = "1";
    var form = el.closest("form");
    var label = document.createElement("label");
    label.style.cssText = "display:inline-flex;align-items:center;gap:.5rem;padding:.6rem .9rem;border:1px solid #d4d4d8;border-radius:6px;font:14px system-ui,sans-serif;background:#fafafa";
    var box = document.createElement("input");
    box.type = "checkbox";
    label.append(box, "Verify you are human (Turnstile stand-in)");
    box.addEventListener("change", function () {
      var field = form && form.querySelector('input[name="cf-turnstile-response"]');
      if (!field && form) {
        field = Object.assign(document.createElement("input"), { type: "hidden", name: "cf-turnstile-response" });
        form.appendChild(field);
      }
      if (field) field.value = box.checked ? "${DUMMY_TOKEN}" : "";
    });
    el.appendChild(label);
  }
  function renderAll() { document.querySelectorAll(".cf-turnstile").forEach(render); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", renderAll);
  else renderAll();
})();`;

async function readVerifyBody(req: Request): Promise<Record<string, string>> {
  const type = req.headers.get("content-type") ?? "";
  if (type.startsWith("application/json")) return ((await req.json().catch(() => ({}))) as Record<string, string>) ?? {};
  return Object.fromEntries(new URLSearchParams(await req.text()));
}

export async function turnstileStandIn(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  if (req.method === "GET" && path === "/turnstile/v0/api.js") {
    return new Response(WIDGET, {
      headers: { "content-type": "text/javascript; charset=utf-8", "access-control-allow-origin": "*", "cache-control": "no-store" },
    });
  }
  if (req.method === "POST" && path === "/turnstile/v0/siteverify") {
    const { secret, response } = await readVerifyBody(req);
    const answer = (success: boolean, codes: string[] = []) =>
      Response.json({
        success,
        "error-codes": codes,
        ...(success ? { challenge_ts: new Date().toISOString(), hostname: "example.com", action: "", cdata: "" } : {}),
      });
    if (!secret) return answer(false, ["missing-input-secret"]);
    if (!response) return answer(false, ["missing-input-response"]);
    if (secret === TURNSTILE_TEST_KEYS.failSecret) return answer(false, ["invalid-input-response"]);
    if (secret === TURNSTILE_TEST_KEYS.spentSecret) return answer(false, ["timeout-or-duplicate"]);
    if (secret !== TURNSTILE_TEST_KEYS.passSecret) return answer(false, ["invalid-input-secret"]);
    return response === DUMMY_TOKEN ? answer(true) : answer(false, ["invalid-input-response"]);
  }
  return Response.json({ success: false, "error-codes": ["bad-request"] }, { status: 404 });
}
