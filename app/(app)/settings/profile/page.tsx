import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Card, CardContent } from "@/components/ui/card";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { requireSession } from "@/lib/auth/session";
import { browserTimeZone } from "@/lib/auth/time-zone";
import { isTimeZone, timeZoneChoices } from "@/lib/time";
import { myPhone } from "@/modules/orgs";
import { ProfileForm } from "@/modules/orgs/ui";

export const metadata: Metadata = { title: "Profile" };

export default async function ProfilePage() {
  const session = await requireSession();
  const cookieZone = await browserTimeZone();
  const browserZone = isTimeZone(cookieZone) ? cookieZone : null;
  const phone = await myPhone(session);
  return (
    <div>
      <PageHeader
        title="Profile"
        description={`${session.user.email} · ${ROLE_LABELS[session.role]} of ${session.org.name}`}
      />
      <Card>
        <CardContent className="pt-6">
          <ProfileForm
            fullName={session.user.name === session.user.email ? "" : session.user.name}
            timeZone={session.user.timeZone}
            phone={phone}
            browserZone={browserZone}
            zones={timeZoneChoices(session.user.timeZone)}
          />
        </CardContent>
      </Card>
    </div>
  );
}
