import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { asMember, requireSession } from "@/lib/auth/session";
import { notificationPreferences } from "@/modules/notifications";
import { NotificationPreferences } from "@/modules/notifications/ui";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationSettingsPage() {
  const session = await requireSession();
  const preferences = await asMember(session, (tx) => notificationPreferences(tx));
  return (
    <div>
      <PageHeader title="Notifications" description="Choose what shows up in your bell. This applies to you only." />
      <Card>
        <CardContent className="pt-6">
          <NotificationPreferences initial={preferences} />
        </CardContent>
      </Card>
    </div>
  );
}
