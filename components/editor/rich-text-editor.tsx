"use client";

/**
 * <RichTextEditor> — the note editor (TipTap), limited to what notes may contain: paragraphs, line breaks, bold,
 * italic, bulleted and numbered lists, quotes and links.
 *
 *   <Label htmlFor="note-body">Note</Label>
 *   <RichTextEditor id="note-body" name="body" placeholder="Write a note…" />
 *
 * Props (all optional):
 * - `name`          posts the HTML in a hidden input of that name with the surrounding form.
 * - `defaultValue`  initial HTML. The editor is uncontrolled: to reset it, remount it with a new `key`.
 * - `onChange(html)` on every edit. An editor with no text reports "" (not "<p></p>"), here and in the input.
 * - `onBlur()`      when the text area loses focus (react-hook-form's field.onBlur).
 * - `onSubmitShortcut()` on Ctrl-Enter or ⌘-Enter (instead of a line break), to save what was written.
 * - `ref`           `{ focus(), insertText(text) }`: react-hook-form focuses the field with an error; a template
 *                   editor inserts a `{{variable}}` where the caret is.
 * - `placeholder`, `autoFocus`, `disabled`, `className`.
 * - Labelling: `aria-label`, `aria-labelledby`, or `id` plus a `<label htmlFor={id}>` — the editor looks that
 *   label up and points `aria-labelledby` at it, because a `for` attribute doesn't name a contenteditable element.
 *   `aria-describedby` and `aria-invalid` are passed on too, so it works inside shadcn's <FormControl>.
 *
 * The text area is a `role="textbox"` with `aria-multiline`, so tests find it with
 * `getByRole("textbox", { name: "Note" })`. The HTML it produces is not trusted: the server sanitises notes with
 * `sanitizeNoteHtml` before storing them, and <RichText> renders the stored HTML.
 */
import * as React from "react";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import type { EditorView } from "@tiptap/pm/view";
import { Popover, Toolbar } from "radix-ui";
import { Bold, Italic, Link2, Link2Off, List, ListOrdered, Quote, type LucideIcon } from "lucide-react";

import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { richTextClassName } from "@/components/editor/rich-text";
import { cn } from "@/lib/utils";

export type RichTextEditorHandle = { focus(): void; insertText(text: string): void };

export type RichTextEditorProps = {
  name?: string;
  defaultValue?: string;
  onChange?: (html: string) => void;
  onBlur?: () => void;
  onSubmitShortcut?: () => void;
  ref?: React.Ref<RichTextEditorHandle>;
  placeholder?: string;
  autoFocus?: boolean;
  disabled?: boolean;
  id?: string;
  className?: string;
  "aria-label"?: string;
  "aria-labelledby"?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean | "true" | "false";
};

const SAFE_LINK_RE = /^(?:https?:\/\/|mailto:)/i;

// Everything StarterKit offers beyond the note subset is switched off, so pasted headings, code or tables arrive
// as plain paragraphs instead of markup the server would strip anyway.
const extensions = [
  StarterKit.configure({
    heading: false,
    code: false,
    codeBlock: false,
    strike: false,
    underline: false,
    horizontalRule: false,
    trailingNode: false,
    link: {
      openOnClick: false,
      autolink: true,
      linkOnPaste: true,
      defaultProtocol: "https",
      isAllowedUri: (url) => SAFE_LINK_RE.test(url),
      HTMLAttributes: { rel: "noopener noreferrer nofollow", target: "_blank" },
    },
  }),
];

/** What a person typed into the link box as an href: "example.com" → "https://example.com", an address → mailto. */
function toHref(input: string): string | null {
  const s = input.trim();
  if (/^[^\s@/:]+@[^\s@/]+\.[^\s@/]+$/.test(s)) return `mailto:${s}`;
  if (/^mailto:[^\s@]+@[^\s@]+$/i.test(s)) return s;
  const candidate = /^https?:\/\//i.test(s) ? s : /^[a-z][a-z0-9+.-]*:(?!\d)/i.test(s) ? null : `https://${s}`;
  if (!candidate) return null;
  try {
    const url = new URL(candidate);
    return url.hostname.includes(".") && !/\s/.test(s) ? candidate : null;
  } catch {
    return null;
  }
}

const htmlOf = (editor: Editor) => (editor.isEmpty ? "" : editor.getHTML());

export function RichTextEditor({
  name,
  defaultValue = "",
  onChange,
  onBlur,
  onSubmitShortcut,
  ref,
  placeholder,
  autoFocus = false,
  disabled = false,
  id,
  className,
  "aria-label": ariaLabel,
  "aria-labelledby": ariaLabelledBy,
  "aria-describedby": ariaDescribedBy,
  "aria-invalid": ariaInvalid,
}: RichTextEditorProps) {
  const [html, setHtml] = React.useState(defaultValue);
  const [labelId, setLabelId] = React.useState<string>();
  const callbacks = React.useRef({ onChange, onBlur, onSubmitShortcut });
  React.useEffect(() => {
    callbacks.current = { onChange, onBlur, onSubmitShortcut };
  });
  const submits = !!onSubmitShortcut;

  const invalid = ariaInvalid === true || ariaInvalid === "true";
  const labelledBy = ariaLabelledBy ?? (ariaLabel ? undefined : labelId);
  const editorProps = React.useMemo(() => {
    const attributes: Record<string, string> = {
      role: "textbox",
      "aria-multiline": "true",
      class: cn(richTextClassName, "min-h-16 px-3 py-2 text-base outline-none md:text-sm"),
    };
    if (id) attributes.id = id;
    if (ariaLabel) attributes["aria-label"] = ariaLabel;
    if (labelledBy) attributes["aria-labelledby"] = labelledBy;
    if (ariaDescribedBy) attributes["aria-describedby"] = ariaDescribedBy;
    if (invalid) attributes["aria-invalid"] = "true";
    if (placeholder) attributes["aria-placeholder"] = placeholder;
    if (submits) attributes["aria-keyshortcuts"] = "Control+Enter Meta+Enter";
    return {
      attributes,
      // Ahead of the starter kit's own Mod-Enter, which would insert a line break.
      handleKeyDown: (view: EditorView, event: KeyboardEvent) => {
        const submit = callbacks.current.onSubmitShortcut;
        if (!submit || !view.editable || event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) {
          return false;
        }
        submit();
        return true;
      },
    };
  }, [id, ariaLabel, labelledBy, ariaDescribedBy, invalid, placeholder, submits]);

  const editor = useEditor({
    extensions,
    content: defaultValue,
    // The editor needs the DOM; rendering it on the server would mismatch on hydration.
    immediatelyRender: false,
    autofocus: autoFocus ? "end" : false,
    editable: !disabled,
    editorProps,
    onUpdate: ({ editor }) => {
      const next = htmlOf(editor);
      setHtml(next);
      callbacks.current.onChange?.(next);
    },
    onBlur: () => callbacks.current.onBlur?.(),
  });

  React.useEffect(() => {
    editor?.setEditable(!disabled);
  }, [editor, disabled]);

  React.useImperativeHandle(
    ref,
    () => ({
      focus: () => editor?.commands.focus(),
      // As a text node, so the inserted text is never read as markup.
      insertText: (text: string) => editor?.chain().focus().insertContent({ type: "text", text }).run(),
    }),
    [editor],
  );

  // <label for> names only form controls: find the label pointing at us, name the text box after it, and make
  // clicking it focus the editor as it would an input.
  React.useEffect(() => {
    if (!id || ariaLabel || ariaLabelledBy) return;
    const label = document.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(id)}"]`);
    if (!label) return;
    if (!label.id) label.id = `${id}-label`;
    setLabelId(label.id);
    const focus = () => editor?.commands.focus();
    label.addEventListener("click", focus);
    return () => label.removeEventListener("click", focus);
  }, [id, ariaLabel, ariaLabelledBy, editor]);

  const state = useEditorState({
    editor,
    selector: ({ editor }) =>
      editor && {
        bold: editor.isActive("bold"),
        italic: editor.isActive("italic"),
        bulletList: editor.isActive("bulletList"),
        orderedList: editor.isActive("orderedList"),
        blockquote: editor.isActive("blockquote"),
        link: editor.isActive("link"),
        empty: editor.isEmpty,
      },
  });

  const showPlaceholder = placeholder && (state ? state.empty : html === "");

  return (
    <div
      data-slot="rich-text-editor"
      data-invalid={invalid || undefined}
      data-disabled={disabled || undefined}
      className={cn(
        "w-full min-w-0 rounded-md border border-input bg-transparent shadow-xs transition-[color,box-shadow] dark:bg-input/30",
        "focus-within:border-ring focus-within:ring-[3px] focus-within:ring-ring/50",
        "data-[invalid]:border-destructive data-[invalid]:ring-destructive/20 dark:data-[invalid]:ring-destructive/40",
        "data-[disabled]:cursor-not-allowed data-[disabled]:opacity-50",
        className,
      )}
    >
      <Toolbar.Root
        aria-label="Formatting"
        aria-controls={editor && id ? id : undefined}
        className="flex flex-wrap items-center gap-0.5 border-b border-input px-1 py-1"
      >
        <ToggleButton editor={editor} label="Bold" shortcut="Mod+B" icon={Bold} pressed={state?.bold} disabled={disabled}
          run={(e) => e.chain().focus().toggleBold().run()} />
        <ToggleButton editor={editor} label="Italic" shortcut="Mod+I" icon={Italic} pressed={state?.italic} disabled={disabled}
          run={(e) => e.chain().focus().toggleItalic().run()} />
        <Toolbar.Separator className="mx-1 h-5 w-px bg-border" />
        <ToggleButton editor={editor} label="Bulleted list" icon={List} pressed={state?.bulletList} disabled={disabled}
          run={(e) => e.chain().focus().toggleBulletList().run()} />
        <ToggleButton editor={editor} label="Numbered list" icon={ListOrdered} pressed={state?.orderedList} disabled={disabled}
          run={(e) => e.chain().focus().toggleOrderedList().run()} />
        <ToggleButton editor={editor} label="Quote" icon={Quote} pressed={state?.blockquote} disabled={disabled}
          run={(e) => e.chain().focus().toggleBlockquote().run()} />
        <Toolbar.Separator className="mx-1 h-5 w-px bg-border" />
        <LinkButton editor={editor} pressed={state?.link} disabled={disabled} />
        <ToggleButton editor={editor} label="Remove link" icon={Link2Off} disabled={disabled || !state?.link}
          run={(e) => e.chain().focus().extendMarkRange("link").unsetLink().run()} />
      </Toolbar.Root>
      <div className="relative">
        {showPlaceholder ? (
          <p aria-hidden className="pointer-events-none absolute top-2 left-3 text-base text-muted-foreground select-none md:text-sm">
            {placeholder}
          </p>
        ) : null}
        {editor ? (
          <EditorContent editor={editor} />
        ) : (
          // Holds the editor's place until it mounts in the browser.
          <div className="min-h-16" />
        )}
      </div>
      {name ? <input type="hidden" name={name} value={html} /> : null}
    </div>
  );
}

const toolbarButtonClass = "size-8 aria-pressed:bg-accent aria-pressed:text-accent-foreground";

function ToggleButton(props: {
  editor: Editor | null;
  label: string;
  /** "Mod" is Ctrl, or ⌘ on a Mac. */
  shortcut?: `Mod+${string}`;
  icon: LucideIcon;
  pressed?: boolean;
  disabled?: boolean;
  run: (editor: Editor) => void;
}) {
  const Icon = props.icon;
  return (
    <Toolbar.Button asChild>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className={toolbarButtonClass}
        aria-label={props.label}
        title={props.shortcut ? `${props.label} (${props.shortcut.replace("Mod", "Ctrl/⌘")})` : props.label}
        aria-keyshortcuts={props.shortcut && `${props.shortcut.replace("Mod", "Control")} ${props.shortcut.replace("Mod", "Meta")}`}
        aria-pressed={props.pressed === undefined ? undefined : props.pressed}
        disabled={!props.editor || props.disabled}
        // Keep the editor's selection: a button taking focus on mousedown would collapse it first.
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => props.editor && props.run(props.editor)}
      >
        <Icon aria-hidden />
      </Button>
    </Toolbar.Button>
  );
}

function LinkButton({ editor, pressed, disabled }: { editor: Editor | null; pressed?: boolean; disabled?: boolean }) {
  const [open, setOpen] = React.useState(false);
  const [value, setValue] = React.useState("");
  const [error, setError] = React.useState<string | null>(null);
  const inputId = React.useId();
  const errorId = `${inputId}-error`;

  function openChange(next: boolean) {
    if (next && editor) {
      setValue((editor.getAttributes("link").href as string | undefined) ?? "");
      setError(null);
    }
    setOpen(next);
  }

  function apply() {
    if (!editor) return;
    const href = toHref(value);
    if (!href) {
      setError("Enter a web address like example.com, or an email address");
      return;
    }
    const chain = editor.chain().focus();
    if (editor.isActive("link")) chain.extendMarkRange("link").setLink({ href }).run();
    else if (editor.state.selection.empty) {
      chain.insertContent({ type: "text", text: value.trim(), marks: [{ type: "link", attrs: { href } }] }).run();
    } else chain.setLink({ href }).run();
    setOpen(false);
  }

  return (
    <Popover.Root open={open} onOpenChange={openChange}>
      <Popover.Trigger asChild>
        <Toolbar.Button asChild>
          <Button
            type="button"
            variant="ghost"
            size="icon"
            className={toolbarButtonClass}
            aria-label="Link"
            title="Link"
            aria-pressed={pressed === undefined ? undefined : pressed}
            disabled={!editor || disabled}
            onMouseDown={(event) => event.preventDefault()}
          >
            <Link2 aria-hidden />
          </Button>
        </Toolbar.Button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={4}
          aria-label="Link"
          className="z-50 grid w-80 gap-2 rounded-md border bg-popover p-3 text-popover-foreground shadow-md outline-none"
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            editor?.commands.focus();
          }}
        >
          {/* No <form>: the popover is portalled, but React would still bubble its submit to the form around the editor. */}
          <label htmlFor={inputId} className="text-sm font-medium">
            Link address
          </label>
          <div className="flex gap-2">
            <Input
              id={inputId}
              value={value}
              placeholder="example.com"
              autoComplete="off"
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={(event) => {
                setValue(event.target.value);
                setError(null);
              }}
              onKeyDown={(event) => {
                if (event.key === "Enter") {
                  event.preventDefault();
                  apply();
                }
              }}
            />
            <Button type="button" size="sm" className="h-9" onClick={apply}>
              Apply
            </Button>
          </div>
          {error ? (
            <p id={errorId} className="text-sm text-destructive">
              {error}
            </p>
          ) : null}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
