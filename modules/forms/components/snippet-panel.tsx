"use client";

import { Check, Copy, ExternalLink } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

/** The hosted page's address and the embeddable snippet, each with a copy button. */
export function SnippetPanel(props: { hostedUrl: string; snippet: string }) {
  return (
    <div className="grid gap-4">
      <div className="grid gap-2">
        <p className="text-sm font-medium">Hosted page</p>
        <p className="text-sm text-muted-foreground">A page of its own, for a team without a website or a link in an email.</p>
        <div className="flex flex-wrap items-center gap-2">
          <code className="min-w-0 flex-1 rounded-md border bg-muted px-3 py-2 text-sm break-all">{props.hostedUrl}</code>
          <CopyButton text={props.hostedUrl} label="Copy link" />
          <Button variant="outline" asChild>
            <a href={props.hostedUrl} target="_blank" rel="noreferrer">
              <ExternalLink aria-hidden /> Open
            </a>
          </Button>
        </div>
      </div>
      <div className="grid gap-2">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <p className="text-sm font-medium">Embed on your site</p>
            <p className="text-sm text-muted-foreground">
              Paste into any page on an allowed origin. It works without JavaScript; with it, visitors stay on the page and
              the page&apos;s UTM parameters are kept.
            </p>
          </div>
          <CopyButton text={props.snippet} label="Copy snippet" />
        </div>
        <pre tabIndex={0} role="region" aria-label="Embed snippet" className="max-h-80 overflow-auto rounded-md border bg-muted p-3 text-xs leading-relaxed">
          <code>{props.snippet}</code>
        </pre>
      </div>
    </div>
  );
}

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      type="button"
      variant="outline"
      onClick={async () => {
        await navigator.clipboard.writeText(text);
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      }}
    >
      {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </Button>
  );
}
