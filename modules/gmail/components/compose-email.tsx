"use client";

import { MailIcon, ReplyIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { RichTextEditor } from "@/components/editor/rich-text-editor";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Sheet, SheetContent, SheetDescription, SheetFooter, SheetHeader, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { TEMPLATE_VARIABLES, TemplatePicker } from "@/modules/templates/ui";
import { sendEmailAction } from "../actions";

export interface ComposeTarget {
  type: "person" | "lead" | "deal";
  id: string;
}

export interface ComposeProps {
  subject: ComposeTarget;
  /** The member's connected Gmail address; null: the drawer says to connect it. */
  from: string | null;
  to?: string | null;
  /** Replying: the email answered, its subject and its sender. */
  reply?: { emailId: string; title: string; to: string };
  trigger?: "button" | "reply";
}

type Fields = "to" | "cc" | "bcc" | "title" | "html";

/** The compose drawer of a person, lead or deal: sent from the member's Gmail, on the timeline as soon as Gmail has it. */
export function ComposeEmail({ subject, from, to, reply, trigger = "button" }: ComposeProps) {
  const router = useRouter();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState({ to: reply?.to ?? to ?? "", cc: "", bcc: "", title: reply ? (/^re:/i.test(reply.title) ? reply.title : `Re: ${reply.title}`) : "" });
  const [html, setHtml] = useState("");
  // The editor is uncontrolled: a template's body is put in by remounting it with that content.
  const [editor, setEditor] = useState({ version: 0, content: "" });
  // The picked template's own plain text, filled; dropped as soon as the body is edited, since it no longer matches.
  const [text, setText] = useState<string | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Fields | "form", string>>>({});
  const [pending, start] = useTransition();

  const set = (k: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [k]: e.target.value }));

  const send = () => {
    if (pending) return;
    setErrors({});
    start(async () => {
      const result = await sendEmailAction({ subject, to: values.to, cc: values.cc, bcc: values.bcc, title: values.title, html, text, replyTo: reply?.emailId ?? null });
      if (!result.ok) {
        setErrors({ ...(result.fieldErrors ?? {}), form: result.error });
        return;
      }
      toast.success("Email sent");
      setOpen(false);
      setHtml("");
      setText(null);
      setEditor((e) => ({ version: e.version + 1, content: "" }));
      setValues({ to: reply?.to ?? to ?? "", cc: "", bcc: "", title: "" });
      router.refresh();
    });
  };

  const field = (name: "to" | "cc" | "bcc" | "title", label: string, placeholder?: string) => (
    <div className="grid gap-1.5">
      <Label htmlFor={`${id}-${name}`}>{label}</Label>
      <Input
        id={`${id}-${name}`}
        value={values[name]}
        onChange={set(name)}
        placeholder={placeholder}
        aria-invalid={!!errors[name]}
        aria-describedby={errors[name] ? `${id}-${name}-error` : undefined}
        disabled={pending}
      />
      {errors[name] ? (
        <p id={`${id}-${name}-error`} className="text-sm text-destructive">
          {errors[name]}
        </p>
      ) : null}
    </div>
  );

  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        {trigger === "reply" ? (
          <Button type="button" variant="ghost" size="sm">
            <ReplyIcon aria-hidden /> Reply
          </Button>
        ) : (
          <Button type="button" variant="outline">
            <MailIcon aria-hidden /> Compose email
          </Button>
        )}
      </SheetTrigger>
      <SheetContent className="w-full overflow-y-auto sm:max-w-xl">
        <SheetHeader>
          <SheetTitle>{reply ? "Reply" : "New email"}</SheetTitle>
          <SheetDescription>{from ? <>Sent from your Gmail, {from}.</> : "Connect your Gmail to send email from Covey."}</SheetDescription>
        </SheetHeader>
        {from ? (
          <form
            className="grid gap-4 px-4"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              send();
            }}
          >
            {reply ? null : (
              <TemplatePicker
                id={`${id}-template`}
                channel="email"
                record={subject}
                onApply={(t) => {
                  setValues((v) => ({ ...v, title: t.subject ?? v.title }));
                  setHtml(t.body);
                  setText(t.textBody);
                  setEditor((e) => ({ version: e.version + 1, content: t.body }));
                }}
              />
            )}
            {field("to", "To", "name@example.com, …")}
            <div className="grid gap-4 sm:grid-cols-2">
              {field("cc", "Cc")}
              {field("bcc", "Bcc")}
            </div>
            {field("title", "Subject")}
            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-body`}>Message</Label>
              <RichTextEditor
                key={editor.version}
                defaultValue={editor.content}
                id={`${id}-body`}
                placeholder="Write your email…"
                onChange={(next) => {
                  setHtml(next);
                  setText(null);
                }}
                onSubmitShortcut={send}
                disabled={pending}
                aria-invalid={!!errors.html}
                aria-describedby={`${id}-vars`}
              />
              {errors.html ? <p className="text-sm text-destructive">{errors.html}</p> : null}
              <p id={`${id}-vars`} className="text-xs text-muted-foreground">
                Variables: {TEMPLATE_VARIABLES.map((v, i) => (
                  <span key={v.key}>
                    {i ? ", " : null}
                    <code>{`{{${v.key}}}`}</code>
                  </span>
                ))}
                ; a fallback stands in for a missing value: <code>{"{{first_name|there}}"}</code>.
              </p>
            </div>
            {errors.form ? (
              <p role="alert" className="text-sm text-destructive">
                {errors.form}
              </p>
            ) : null}
            <SheetFooter className="px-0">
              <Button type="submit" disabled={pending}>
                {pending ? "Sending…" : "Send"}
              </Button>
            </SheetFooter>
          </form>
        ) : (
          <div className="grid gap-3 px-4">
            <p className="text-sm text-muted-foreground">Email is sent from your own Gmail, so replies come back to you and land on this timeline.</p>
            <Button asChild>
              <Link href="/settings/integrations/gmail">Connect Gmail</Link>
            </Button>
          </div>
        )}
      </SheetContent>
    </Sheet>
  );
}
