/**
 * Renders stored note HTML: `<RichText html={note.bodyHtml} />`.
 *
 * The HTML must already be sanitised (modules/crm/notes/sanitize.ts, run on the server when the note is saved);
 * this component does not clean it again, so nothing sanitiser-sized ships to the browser. Works in server and
 * client components.
 */
import { cn } from "@/lib/utils";

/**
 * Typography for the note subset (paragraphs, lists, quotes, links, bold, italic), shared with the editor so a
 * note looks the same while typed and when shown. The app has no typography plugin, hence the child selectors.
 */
export const richTextClassName = cn(
  "text-sm leading-relaxed break-words",
  "[&_p]:my-0 [&_p+p]:mt-2 [&_p:empty]:min-h-[1lh]",
  "[&_ul]:my-2 [&_ul]:list-disc [&_ul]:pl-6 [&_ol]:my-2 [&_ol]:list-decimal [&_ol]:pl-6",
  "[&_li]:my-0.5 [&_li>p]:my-0 [&_li_ul]:my-0.5 [&_li_ol]:my-0.5",
  "[&_blockquote]:my-2 [&_blockquote]:border-l-2 [&_blockquote]:border-border [&_blockquote]:pl-3 [&_blockquote]:text-muted-foreground",
  "[&_a]:text-primary [&_a]:underline [&_a]:underline-offset-2 [&_a:hover]:no-underline",
  "[&_strong]:font-semibold [&_em]:italic",
  "[&>:first-child]:mt-0 [&>:last-child]:mb-0",
);

export function RichText({ html, className }: { html: string; className?: string }) {
  return <div data-slot="rich-text" className={cn(richTextClassName, className)} dangerouslySetInnerHTML={{ __html: html }} />;
}
