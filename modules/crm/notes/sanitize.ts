/**
 * Note HTML: what the rich-text editor sends is only a suggestion. Every note is run through `sanitizeNoteHtml`
 * on the server before it is stored, and the stored HTML is what pages render as-is.
 */
import sanitizeHtml from "sanitize-html";

const LINK_REL = "noopener noreferrer nofollow";
// Absolute links only: a relative or protocol-relative href would resolve against wherever the note is shown.
const SAFE_HREF_RE = /^(?:https?:\/\/[^/\s]|mailto:[^\s])/i;

const noteOptions: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote"],
  allowedAttributes: { a: ["href", "rel", "target"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: "discard",
  // Elements whose text is code, markup or UI rather than note content: dropped with everything inside them.
  nonTextTags: [
    "script", "style", "textarea", "option", "select", "noscript", "iframe", "frame", "frameset", "object",
    "embed", "noembed", "noframes", "template", "title", "xmp", "svg", "math", "head",
  ],
  transformTags: {
    b: "strong",
    i: "em",
    // A link keeps only its href and gets our rel/target; one whose href isn't safe loses its attributes and is
    // then unwrapped by exclusiveFilter, keeping its text. (Renaming it to a disallowed tag instead trips a
    // sanitize-html bug that closes the next link at the same depth with that tag's name.)
    a: (_tagName, attribs) => {
      const href = attribs.href?.trim() ?? "";
      const kept: sanitizeHtml.Attributes = SAFE_HREF_RE.test(href) ? { href, rel: LINK_REL, target: "_blank" } : {};
      return { tagName: "a", attribs: kept };
    },
  },
  exclusiveFilter: (frame) => (frame.tag === "a" && !frame.attribs.href ? "excludeTag" : false),
};

/** The note's HTML reduced to paragraphs, line breaks, bold, italic, lists, quotes and safe links. */
export function sanitizeNoteHtml(html: string): string {
  return sanitizeHtml(html, noteOptions);
}

// Tags after which a preview needs a space so that "<p>a</p><p>b</p>" reads "a b", not "ab".
const BLOCK_BOUNDARY_RE = /<\/?(?:p|br|li|ul|ol|blockquote)\b[^>]*>/g;
const INLINE_TAG_RE = /<[^>]*>/g;
const ENTITY_RE = /&(amp|lt|gt|quot|#39);/g;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'" };

/**
 * Plain text of a note for previews and search: tags removed, entities decoded, whitespace collapsed.
 * The HTML is sanitised first, which leaves only our own tags with quoted, escaped attributes and only the
 * entities sanitize-html writes — so the tag and entity patterns below are exact on its output.
 */
export function noteHtmlToText(html: string): string {
  return sanitizeNoteHtml(html)
    .replace(BLOCK_BOUNDARY_RE, " ")
    .replace(INLINE_TAG_RE, "")
    .replace(ENTITY_RE, (_, name: string) => ENTITIES[name])
    .replace(/\s+/g, " ")
    .trim();
}

/** True when a note has no visible text: "", "<p></p>", "<p><br></p>", "<p>&nbsp;</p>". */
export function isEmptyNote(html: string): boolean {
  return noteHtmlToText(html) === "";
}
