"use client";

import { Archive, ArchiveRestore, Plus } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { RichText } from "@/components/editor/rich-text";
import { RichTextEditor, type RichTextEditorHandle } from "@/components/editor/rich-text-editor";
import { FormError } from "@/components/forms/form-error";
import { type ComboboxChoice, SearchCombobox } from "@/components/forms/search-combobox";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { Textarea } from "@/components/ui/textarea";
import { countSegments } from "@/modules/twilio/ui";
import { archiveTemplateAction, createTemplateAction, previewTemplateAction, searchPreviewRecordsAction, updateTemplateAction } from "../actions";
import { listTokens, TEMPLATE_VARIABLES } from "../engine";
import { CHANNEL_LABELS, SMS_TEMPLATE_MAX, type TemplateChannel, type TemplateRecordRef } from "../schema";
import type { TemplatePreview } from "../service";

export interface TemplateDraft {
  id: string | null;
  channel: TemplateChannel;
  name: string;
  subject: string;
  body: string;
  /** The author's own plain text; null: generated from the HTML. */
  textBody: string | null;
  archived: boolean;
}

type Field = "name" | "subject" | "body" | "textBody";
const TYPE_WORDS = { person: "Person", lead: "Lead", deal: "Deal" } as const;

/**
 * Settings → Templates, one template: name, the message (an email's subject,
 * HTML body and plain-text alternative in tabs; a text's body with its
 * segment count), the variables with a button to insert each where the caret
 * was, and beside it a live preview filled with a real record the member
 * picks, rendered on the server as it would be sent.
 */
export function TemplateEditor(props: { initial: TemplateDraft; canEdit: boolean }) {
  const router = useRouter();
  const id = useId();
  const { channel } = props.initial;
  const email = channel === "email";
  const [name, setName] = useState(props.initial.name);
  const [subject, setSubject] = useState(props.initial.subject);
  const [body, setBody] = useState(props.initial.body);
  const [textBody, setTextBody] = useState<string | null>(props.initial.textBody);
  const [errors, setErrors] = useState<Partial<Record<Field | "form", string>>>({});
  const [pending, start] = useTransition();
  const [record, setRecord] = useState<(ComboboxChoice & { ref: TemplateRecordRef }) | null>(null);
  const [preview, setPreview] = useState<TemplatePreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [tab, setTab] = useState("message");
  const editor = useRef<RichTextEditorHandle>(null);
  const subjectInput = useRef<HTMLInputElement>(null);
  const smsInput = useRef<HTMLTextAreaElement>(null);
  const textInput = useRef<HTMLTextAreaElement>(null);
  const lastField = useRef<"subject" | "body" | "textBody">("body");
  const disabled = pending || !props.canEdit;

  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      const r = await previewTemplateAction({ channel, subject: email ? subject : null, body, textBody: email ? textBody : null, record: record?.ref ?? null });
      if (!live) return;
      if (r.ok) {
        setPreview(r.data);
        setPreviewError(null);
      } else setPreviewError(r.error);
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [channel, email, subject, body, textBody, record]);

  const searchRecords = async (term: string) => {
    const r = await searchPreviewRecordsAction(term);
    if (!r.ok) return [];
    return r.data.map((x) => ({ id: `${x.type}:${x.id}`, name: x.name, detail: [TYPE_WORDS[x.type], x.detail].filter(Boolean).join(" · ") }));
  };

  function insert(key: string) {
    const token = `{{${key}}}`;
    const target = lastField.current;
    if (target === "body" && email) {
      editor.current?.insertText(token);
      return;
    }
    const el = target === "subject" ? subjectInput.current : target === "textBody" ? textInput.current : smsInput.current;
    const current = target === "subject" ? subject : target === "textBody" ? (textBody ?? preview?.generatedText ?? "") : body;
    const from = el?.selectionStart ?? current.length;
    const to = el?.selectionEnd ?? current.length;
    const next = current.slice(0, from) + token + current.slice(to);
    if (target === "subject") setSubject(next);
    else if (target === "textBody") setTextBody(next);
    else setBody(next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(from + token.length, from + token.length);
    });
  }

  function save(e: React.FormEvent) {
    e.preventDefault();
    setErrors({});
    start(async () => {
      const input = { name, subject: email ? subject : null, body, textBody: email ? textBody : null };
      const result = props.initial.id ? await updateTemplateAction(props.initial.id, input) : await createTemplateAction({ channel, ...input });
      if (!result.ok) {
        const fields = (result.fieldErrors ?? {}) as Partial<Record<Field, string>>;
        setErrors({ ...fields, form: result.error });
        if (email && fields.textBody && !fields.subject && !fields.body) setTab("text");
        else if (email && (fields.subject || fields.body)) setTab("message");
        return;
      }
      toast.success(props.initial.id ? "Template saved" : "Template created");
      if (props.initial.id) router.refresh();
      else router.push(`/settings/templates/${result.data.id}`);
    });
  }

  function archive(archived: boolean) {
    if (!props.initial.id) return;
    const templateId = props.initial.id;
    start(async () => {
      const result = await archiveTemplateAction(templateId, archived);
      if (!result.ok) {
        setErrors({ form: result.error });
        return;
      }
      toast.success(archived ? "Template archived" : "Template restored");
      router.refresh();
    });
  }

  const error = (field: Field) =>
    errors[field] ? (
      <p id={`${id}-${field}-error`} className="text-sm text-destructive">
        {errors[field]}
      </p>
    ) : null;
  const described = (field: Field, extra?: string) => [errors[field] ? `${id}-${field}-error` : null, extra].filter(Boolean).join(" ") || undefined;
  const segments = countSegments(body);
  const previewSegments = preview && !email ? countSegments(preview.body) : null;

  const variables = (
    <div className="grid gap-2">
      <p className="text-sm font-medium">Variables</p>
      <p className="text-xs text-muted-foreground">
        Filled from the record when the message is used. Add a fallback for records without the value: <code>{"{{first_name|there}}"}</code>.
      </p>
      <ul aria-label="Variables" className="grid gap-1 sm:grid-cols-2">
        {TEMPLATE_VARIABLES.map((v) => (
          <li key={v.key} className="flex items-center justify-between gap-2 rounded-md border px-2 py-1">
            <span className="min-w-0">
              <code className="text-xs">{`{{${v.key}}}`}</code>
              <span className="block truncate text-xs text-muted-foreground">{v.about}</span>
            </span>
            <Button
              type="button"
              variant="ghost"
              size="sm"
              disabled={disabled}
              aria-label={`Insert ${v.label}`}
              // Keeps the caret where it was in the field being written.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => insert(v.key)}
            >
              <Plus aria-hidden /> Insert
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );

  return (
    <div className="grid min-w-0 gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
      <Card>
        <CardHeader>
          <CardTitle>{CHANNEL_LABELS[channel]} template</CardTitle>
          <CardDescription>
            {props.canEdit
              ? props.initial.archived
                ? "Archived: not offered in the compose drawers until it is restored."
                : "Offered to everyone in the compose drawer, filled with the record's values."
              : "Only its author and managers, admins and owners can change this template."}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <form className="grid gap-4" noValidate onSubmit={save}>
            <FormError message={errors.form} />
            <div className="grid gap-1.5">
              <Label htmlFor={`${id}-name`}>Name</Label>
              <Input
                id={`${id}-name`}
                value={name}
                onChange={(e) => setName(e.target.value)}
                disabled={disabled}
                aria-invalid={!!errors.name}
                aria-describedby={described("name")}
              />
              {error("name")}
            </div>
            {email ? (
              <Tabs value={tab} onValueChange={setTab}>
                <TabsList>
                  <TabsTrigger value="message">Message</TabsTrigger>
                  <TabsTrigger value="text">Plain text</TabsTrigger>
                </TabsList>
                {/* Kept mounted: the body editor holds its own state. */}
                <TabsContent value="message" forceMount className="grid gap-4 data-[state=inactive]:hidden">
                  <div className="grid gap-1.5">
                    <Label htmlFor={`${id}-subject`}>Subject</Label>
                    <Input
                      ref={subjectInput}
                      id={`${id}-subject`}
                      value={subject}
                      onChange={(e) => setSubject(e.target.value)}
                      onFocus={() => (lastField.current = "subject")}
                      disabled={disabled}
                      aria-invalid={!!errors.subject}
                      aria-describedby={described("subject")}
                    />
                    {error("subject")}
                  </div>
                  <div className="grid gap-1.5">
                    <Label htmlFor={`${id}-body`}>Body</Label>
                    <div onFocus={() => (lastField.current = "body")}>
                      <RichTextEditor
                        ref={editor}
                        id={`${id}-body`}
                        defaultValue={props.initial.body}
                        placeholder="Write the email…"
                        onChange={setBody}
                        disabled={disabled}
                        aria-invalid={!!errors.body}
                        aria-describedby={described("body")}
                      />
                    </div>
                    {error("body")}
                  </div>
                </TabsContent>
                <TabsContent value="text" forceMount className="grid gap-1.5 data-[state=inactive]:hidden">
                  <Label htmlFor={`${id}-text`}>Plain-text alternative</Label>
                  <p id={`${id}-text-about`} className="text-xs text-muted-foreground">
                    Sent beside the HTML for mail apps that show only text.{" "}
                    {textBody === null ? "Generated from the message; edit it to write your own." : "Your own text: it no longer follows the message."}
                  </p>
                  <Textarea
                    ref={textInput}
                    id={`${id}-text`}
                    rows={10}
                    value={textBody ?? preview?.generatedText ?? ""}
                    onChange={(e) => setTextBody(e.target.value)}
                    onFocus={() => (lastField.current = "textBody")}
                    disabled={disabled}
                    aria-invalid={!!errors.textBody}
                    aria-describedby={described("textBody", `${id}-text-about`)}
                  />
                  {error("textBody")}
                  {textBody !== null && props.canEdit ? (
                    <div>
                      <Button type="button" variant="outline" size="sm" onClick={() => setTextBody(null)} disabled={disabled}>
                        Generate from the message
                      </Button>
                    </div>
                  ) : null}
                </TabsContent>
              </Tabs>
            ) : (
              <div className="grid gap-1.5">
                <Label htmlFor={`${id}-sms`}>Message</Label>
                <Textarea
                  ref={smsInput}
                  id={`${id}-sms`}
                  rows={5}
                  maxLength={SMS_TEMPLATE_MAX}
                  value={body}
                  onChange={(e) => setBody(e.target.value)}
                  onFocus={() => (lastField.current = "body")}
                  disabled={disabled}
                  aria-invalid={!!errors.body}
                  aria-describedby={described("body", `${id}-count`)}
                />
                <p id={`${id}-count`} data-testid="template-sms-counter" className="text-xs text-muted-foreground">
                  {body.length}/{SMS_TEMPLATE_MAX} characters · {segments.segments} {segments.segments === 1 ? "segment" : "segments"} · {segments.encoding}
                  {" "}as written; variables change the count once filled.
                </p>
                {error("body")}
              </div>
            )}
            {variables}
            {props.canEdit ? (
              <div className="flex flex-wrap justify-between gap-2">
                <div className="flex gap-2">
                  <Button type="submit" disabled={pending}>
                    {pending ? "Saving…" : props.initial.id ? "Save template" : "Create template"}
                  </Button>
                  <Button type="button" variant="ghost" asChild>
                    <Link href={`/settings/templates?channel=${channel}`}>Back to templates</Link>
                  </Button>
                </div>
                {props.initial.id ? (
                  <Button type="button" variant="outline" disabled={pending} onClick={() => archive(!props.initial.archived)}>
                    {props.initial.archived ? <ArchiveRestore aria-hidden /> : <Archive aria-hidden />}
                    {props.initial.archived ? "Restore" : "Archive"}
                  </Button>
                ) : null}
              </div>
            ) : null}
          </form>
        </CardContent>
      </Card>
      <Card role="region" aria-label="Preview" className="h-fit">
        <CardHeader>
          <CardTitle>Preview</CardTitle>
          <CardDescription>As it would be sent to a real record of yours.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="grid gap-1.5">
            <Label htmlFor={`${id}-record`}>Preview with</Label>
            <SearchCombobox
              id={`${id}-record`}
              value={record}
              onChange={(v) => {
                if (!v) return setRecord(null);
                const [type, recordId] = v.id.split(":") as [TemplateRecordRef["type"], string];
                setRecord({ ...v, ref: { type, id: recordId } });
              }}
              search={searchRecords}
              placeholder="Search people, leads and deals…"
              listLabel="Records"
              emptyText="No person, lead or deal matches"
              clearLabel="Clear the preview's record"
            />
          </div>
          {previewError ? <p className="text-sm text-destructive">{previewError}</p> : null}
          {preview ? (
            <div className="grid gap-3" data-testid="template-preview">
              {preview.missing.length ? (
                <p role="status" className="text-sm text-amber-700 dark:text-amber-400">
                  {record
                    ? `${record.name} has no value for ${listTokens(preview.missing)}: add a fallback, or it must be filled in before sending.`
                    : "Pick a record to see its values."}
                </p>
              ) : null}
              {email ? (
                <>
                  <div className="grid gap-0.5">
                    <span className="text-xs text-muted-foreground">Subject</span>
                    <p className="text-sm font-medium" data-testid="template-preview-subject">
                      {preview.subject || "—"}
                    </p>
                  </div>
                  <div className="rounded-md border p-3">
                    <RichText html={preview.body} />
                  </div>
                  <details>
                    <summary className="cursor-pointer text-xs text-muted-foreground">Plain text</summary>
                    <pre className="mt-2 text-xs whitespace-pre-wrap">{preview.text}</pre>
                  </details>
                </>
              ) : (
                <>
                  <p className="max-w-[85%] justify-self-end rounded-2xl rounded-br-sm bg-primary px-3 py-2 text-sm whitespace-pre-wrap text-primary-foreground">
                    {preview.body || "—"}
                  </p>
                  {previewSegments ? (
                    <p className="text-xs text-muted-foreground" data-testid="template-preview-segments">
                      {preview.body.length} characters · {previewSegments.segments} {previewSegments.segments === 1 ? "segment" : "segments"} · {previewSegments.encoding}
                    </p>
                  ) : null}
                </>
              )}
            </div>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
