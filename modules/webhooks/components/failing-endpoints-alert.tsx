import { TriangleAlert } from "lucide-react";
import Link from "next/link";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { can } from "@/lib/auth/permissions";
import { asMember, type Session } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { formatDateTime } from "@/lib/time";
import { listFailingEndpoints } from "../queries";
import { EnableButton } from "./endpoint-actions";


type Failing = Awaited<ReturnType<typeof listFailingEndpoints>>;

export async function FailingEndpointsAlert({ endpoints }: { endpoints: Failing }) {
  if (endpoints.length === 0) return null;
  const zone = await getTimeZone();
  const one = endpoints.length === 1;
  return (
    <Alert variant="destructive" data-testid="webhooks-failing-alert">
      <TriangleAlert aria-hidden />
      <AlertTitle>
        {one ? "A webhook endpoint was turned off" : `${endpoints.length} webhook endpoints were turned off`} after failing
        repeatedly
      </AlertTitle>
      <AlertDescription>
        <p>
          New events for {one ? "it" : "them"} wait and are sent once {one ? "it is" : "they are"} enabled again. Check the
          delivery log for the errors, fix the receiver, then re-enable.
        </p>
        <ul className="mt-1 grid w-full gap-2">
          {endpoints.map((e) => (
            <li key={e.id} className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <Link href={`/settings/webhooks/${e.id}`} className="font-medium break-all underline underline-offset-4">
                {e.url}
              </Link>
              {e.disabled_at ? <span className="text-xs">since {formatDateTime(e.disabled_at, zone)}</span> : null}
              <EnableButton id={e.id} enabled={false} label="Re-enable" size="sm" />
            </li>
          ))}
        </ul>
      </AlertDescription>
    </Alert>
  );
}

/** For the dashboard: owners and admins hear about failing endpoints wherever they land first. */
export async function FailingEndpointsBanner({ session }: { session: Session }) {
  if (!can(session.role, "webhooks.manage")) return null;
  const endpoints = await asMember(session, (tx) => listFailingEndpoints(tx));
  return <FailingEndpointsAlert endpoints={endpoints} />;
}
