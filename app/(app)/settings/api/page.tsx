import { BookOpenIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { asMember, requirePermission } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { KeysTable, listApiKeys } from "@/modules/api";
import { CreateKeyDialog } from "@/modules/api/ui";

export const metadata: Metadata = { title: "API" };

export default async function ApiSettingsPage() {
  const session = await requirePermission("api_keys.manage");
  const keys = await asMember(session, (tx) => listApiKeys(tx));
  const apiBase = env().APP_URL.replace(/\/$/, "");
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="API"
        description={`Keys that let other software read and change ${session.org.name}'s records through the REST API.`}
        actions={
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" asChild>
              <Link href="/settings/api/reference">
                <BookOpenIcon aria-hidden />
                API reference
              </Link>
            </Button>
            <CreateKeyDialog apiBase={apiBase} />
          </div>
        }
      />
      <Card>
        <CardHeader>
          <CardTitle>Keys ({keys.filter((k) => k.status === "active").length} active)</CardTitle>
          <CardDescription>
            A key acts as the member who created it, within their role and the key’s scopes, and only in this organization.
            It is removed when that member leaves. Base URL: <code className="font-mono text-xs">{apiBase}/api/v1</code>
          </CardDescription>
        </CardHeader>
        <CardContent>
          {keys.length === 0 ? (
            <p className="text-sm text-muted-foreground">No keys yet. Create one to connect an integration.</p>
          ) : (
            <KeysTable keys={keys} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
