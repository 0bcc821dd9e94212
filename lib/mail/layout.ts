// The one plain layout every email uses, text and HTML from the same words.
// Web-standard, so emails sent from jobs (Deno) look like the app's.

export function escapeHtml(s: string) {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function layout(opts: { heading: string; lines: string[]; action: { label: string; url: string }; footer: string }) {
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;background:#f6f7f9;padding:24px">
<table role="presentation" width="100%" style="max-width:520px;margin:auto;background:#fff;border-radius:8px;padding:32px">
<tr><td><h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(opts.heading)}</h1>
${opts.lines.map((l) => `<p style="font-size:15px;line-height:1.5;color:#333">${escapeHtml(l)}</p>`).join("\n")}
<p style="margin:24px 0"><a href="${escapeHtml(opts.action.url)}" style="background:#3b3f9f;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(opts.action.label)}</a></p>
<p style="font-size:13px;color:#666">${escapeHtml(opts.footer)}</p></td></tr></table></body></html>`;
  const text = [opts.heading, "", ...opts.lines, "", `${opts.action.label}: ${opts.action.url}`, "", opts.footer].join("\n");
  return { html, text };
}
