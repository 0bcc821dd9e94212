import type { Metadata } from "next";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { can } from "@/lib/auth/permissions";
import { requireSession } from "@/lib/auth/session";
import { Code, ErrorsTable, GroupIndex, loadReference, Prose, REFERENCE_PATH, ReferenceShell } from "@/modules/api";

export const metadata: Metadata = { title: "API reference" };

/**
 * The REST API reference, rendered on the server from the OpenAPI document
 * /api/v1/openapi.json serves: this overview, then one page per resource.
 * Any member may read it; owners and admins make keys in Settings → API.
 */
export default async function ApiReferencePage() {
  const session = await requireSession();
  const { doc, groups, errors } = loadReference();
  const server = doc.servers?.[0]?.url ?? "/api/v1";
  const count = groups.reduce((n, g) => n + g.operations.length, 0);
  return (
    <ReferenceShell
      title="API reference"
      description={`${doc.info.title} ${doc.info.version}: ${count} operations.`}
      groups={groups}
      manageKeys={can(session.role, "api_keys.manage")}
    >
      <Card id="overview">
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
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Resources</h2>
          </CardTitle>
        </CardHeader>
        <CardContent className="grid gap-6">
          {groups.map((g) => (
            <section key={g.slug} aria-labelledby={`index-${g.slug}`} className="grid gap-2">
              <h3 id={`index-${g.slug}`} className="font-semibold">
                <a href={`${REFERENCE_PATH}/${g.slug}`} className="hover:underline">
                  {g.tag}
                </a>
              </h3>
              <GroupIndex group={g} />
            </section>
          ))}
        </CardContent>
      </Card>
    </ReferenceShell>
  );
}
