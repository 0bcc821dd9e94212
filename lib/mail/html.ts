// An email's HTML as Covey stores and shows it: what the compose editor
// wrote (the note editor's tags) and what arrives from outside, reduced to
// text formatting and safe links, with no scripts, styles, images or forms.
import sanitizeHtml from "sanitize-html";

const options: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "blockquote", "div", "span", "pre", "code", "h1", "h2", "h3", "h4", "table", "tbody", "tr", "td", "th"],
  allowedAttributes: { a: ["href", "rel", "target"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: "discard",
  nonTextTags: ["script", "style", "textarea", "option", "select", "noscript", "iframe", "object", "embed", "template", "title", "head", "svg", "math"],
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer nofollow", target: "_blank" }) },
};

export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, options);
}

/** The plain-text alternative and preview of an HTML body. */
export function emailHtmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<\/(p|div|li|h\d|tr|blockquote)>|<br\s*\/?>/gi, "\n"), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export const snippetOf = (text: string) => text.replace(/\s+/g, " ").trim().slice(0, 200);
