import { FileJsonIcon, KeyRoundIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { can } from "@/lib/auth/permissions";
import { requireSession } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { operations } from "@/modules/api/operations";
import {
  Code,
  Contents,
  ErrorsTable,
  ObjectSection,
  OperationSection,
  Prose,
} from "@/modules/api/reference/components/reference";
import { errorStatuses, groupOperations, type OpenApiDocument } from "@/modules/api/reference/document";

export const metadata: Metadata = { title: "API reference" };

let doc: OpenApiDocument | undefined;
let groups: ReturnType<typeof groupOperations> | undefined;
let errors: ReturnType<typeof errorStatuses> | undefined;

/**
 * The REST API reference, rendered on the server from the same OpenAPI
 * document /api/v1/openapi.json serves. Any member may read it; keys are
 * made by owners and admins in Settings → API.
 */
export default async function ApiReferencePage() {
  const session = await requireSession();
  doc ??= buildOpenApiDocument(operations, {
    serverUrl: `${env().APP_URL.replace(/\/$/, "")}/api/v1`,
    version: "1.0.0",
  }) as unknown as OpenApiDocument;
  groups ??= groupOperations(doc);
  errors ??= errorStatuses(doc);
  const server = doc.servers?.[0]?.url ?? "/api/v1";
  const count = groups.reduce((n, g) => n + g.operations.length, 0);

  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="API reference"
        description={`${doc.info.title} ${doc.info.version}: ${count} operations.`}
        actions={
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" asChild>
              <a href="/api/v1/openapi.json">
                <FileJsonIcon aria-hidden />
                OpenAPI document
              </a>
            </Button>
            {can(session.role, "api_keys.manage") ? (
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
          <Contents groups={groups} />
        </aside>
        <div className="grid min-w-0 gap-10 [&_code]:font-mono [&_code]:text-[0.9em]">
          <Card id="overview" className="scroll-mt-20">
            <CardHeader>
              <CardTitle>
                <h2>Overview</h2>
              </CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <Prose text={doc.info.description} />
              <Code label="Base URL">{server}</Code>
              <Code label="Try your key">{`curl "${server}/me" \\\n  -H "Authorization: Bearer $COVEY_API_KEY"`}</Code>
            </CardContent>
          </Card>
          <Card id="errors" className="scroll-mt-20">
            <CardHeader>
              <CardTitle>
                <h2>Errors</h2>
              </CardTitle>
            </CardHeader>
            <CardContent className="grid gap-4">
              <Code label="Every error has this shape">
                {JSON.stringify(
                  {
                    error: {
                      code: "validation_failed",
                      message: "Some fields are not valid",
                      details: { email: ["Enter a valid email address"] },
                      request_id: "b5d7c2e0-…",
                    },
                  },
                  null,
                  2,
                )}
              </Code>
              <ErrorsTable errors={errors} />
            </CardContent>
          </Card>
          {groups.map((g) => (
            <section key={g.tag} id={g.anchor} aria-labelledby={`${g.anchor}-title`} className="grid scroll-mt-20 gap-6">
              <h2 id={`${g.anchor}-title`} className="text-xl font-semibold tracking-tight">
                {g.tag}
              </h2>
              {g.objects.map((o) => (
                <ObjectSection key={o.anchor} object={o} />
              ))}
              {g.operations.map((op) => (
                <OperationSection key={op.anchor} op={op} />
              ))}
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
