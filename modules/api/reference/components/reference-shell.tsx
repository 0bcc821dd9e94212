import { FileJsonIcon, KeyRoundIcon } from "lucide-react";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import type { ReferenceGroup } from "../document";
import { Contents } from "./reference";

/** The reference pages' frame: title, links to the raw document and the keys, and the contents beside the page. */
export function ReferenceShell(props: {
  title: string;
  description: string;
  groups: ReferenceGroup[];
  current?: string;
  manageKeys: boolean;
  children: React.ReactNode;
}) {
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title={props.title}
        description={props.description}
        actions={
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" asChild>
              <a href="/api/v1/openapi.json">
                <FileJsonIcon aria-hidden />
                OpenAPI document
              </a>
            </Button>
            {props.manageKeys ? (
              <Button variant="outline" asChild>
                <Link href="/settings/api">
                  <KeyRoundIcon aria-hidden />
                  API keys
                </Link>
              </Button>
            ) : null}
          </div>
        }
      />
      <div className="grid min-w-0 grid-cols-1 gap-8 lg:grid-cols-[14rem_minmax(0,1fr)]">
        <aside className="lg:sticky lg:top-4 lg:max-h-[calc(100vh-6rem)] lg:self-start lg:overflow-y-auto">
          <Contents groups={props.groups} current={props.current} />
        </aside>
        <div className="grid min-w-0 content-start gap-10 [&_code]:font-mono [&_code]:text-[0.9em]">{props.children}</div>
      </div>
    </div>
  );
}
