import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { env } from "@/lib/env";
import { Counts, FormPreview, getForm, listLeadCustomFields, listSubmissions, SubmissionsTable, turnstileWidget } from "@/modules/forms";
import { DeleteFormButton, embedSnippet, FormEditor, SnippetPanel } from "@/modules/forms/ui";

export const metadata: Metadata = { title: "Web form" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export default async function WebFormPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const session = await requirePermission("settings.manage");
  if (!UUID.test(id)) notFound();
  const [form, submissions, customFields] = await asMember(session, (tx) =>
    Promise.all([getForm(tx, id), listSubmissions(tx, id), listLeadCustomFields(tx)]),
  );
  if (!form) notFound();
  const zone = await getTimeZone();
  const appUrl = env().APP_URL.replace(/\/+$/, "");
  const { id: _id, key, counts, ...initial } = form;
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title={form.name}
        description={`Submissions go to /f/${key} and become leads with the source Web form.`}
        actions={
          <div className="flex items-center gap-2">
            {form.enabled ? <Badge>Live</Badge> : <Badge variant="outline">Off</Badge>}
            <DeleteFormButton id={form.id} name={form.name} />
          </div>
        }
      />
      <Tabs defaultValue="overview">
        <TabsList>
          <TabsTrigger value="overview">Overview</TabsTrigger>
          <TabsTrigger value="edit">Edit</TabsTrigger>
        </TabsList>
        <TabsContent value="overview" className="grid gap-6">
          <Counts counts={counts} />
          <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
            <Card>
              <CardHeader>
                <CardTitle>Share and embed</CardTitle>
              </CardHeader>
              <CardContent>
                <SnippetPanel hostedUrl={`${appUrl}/f/${key}`} snippet={embedSnippet({ key, fields: form.fields, honeypot_field: form.honeypot_field }, appUrl, turnstileWidget(form.turnstile_enabled))} />
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle>Preview</CardTitle>
                <CardDescription>Open the hosted page to try it: a submission there makes a real lead.</CardDescription>
              </CardHeader>
              <CardContent>
                <FormPreview fields={form.fields} />
              </CardContent>
            </Card>
          </div>
          <Card>
            <CardHeader>
              <CardTitle>Recent submissions</CardTitle>
              <CardDescription>Every submission, spam and refusals included, newest first.</CardDescription>
            </CardHeader>
            <CardContent>
              <SubmissionsTable submissions={submissions} fields={form.fields} zone={zone} />
            </CardContent>
          </Card>
        </TabsContent>
        <TabsContent value="edit">
          <FormEditor formId={form.id} initial={initial} customFields={customFields} />
        </TabsContent>
      </Tabs>
    </div>
  );
}
