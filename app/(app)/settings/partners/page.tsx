import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { can } from "@/lib/auth/permissions";
import { asMember, requirePermission } from "@/lib/auth/session";
import { getTimeZone } from "@/lib/auth/time-zone";
import { DeliveryTable, listDeliveries, listPartners } from "@/modules/routing";
import { DeletePartnerButton, PARTNER_CHANNEL_LABELS, PartnerDialog, RotatePartnerSecretButton } from "@/modules/routing/ui";

export const metadata: Metadata = { title: "Partners" };

const capacity = (day: number | null, week: number | null) =>
  [day ? `${day}/day` : null, week ? `${week}/week` : null].filter(Boolean).join(", ") || "No limit";

export default async function PartnersPage() {
  const session = await requirePermission("records.assign");
  const zone = await getTimeZone();
  const manage = can(session.role, "settings.manage");
  const [partners, deliveries] = await asMember(session, (tx) => Promise.all([listPartners(tx), listDeliveries(tx)]));
  return (
    <div className="grid min-w-0 grid-cols-1 gap-6">
      <PageHeader
        title="Partners"
        description="Fulfillment partners that routing rules offer leads to. Each offer is emailed with a single-use link to accept or decline, or POSTed to the partner's system as a signed webhook."
        actions={manage ? <PartnerDialog /> : null}
      />
      <Card>
        <CardContent>
          {partners.length === 0 ? (
            <p className="text-sm text-muted-foreground">No partners yet.{manage ? " Add one, then offer it leads from a rule in Lead routing." : ""}</p>
          ) : (
            <div className="overflow-x-auto">
              <Table aria-label="Partners">
                <TableHeader>
                  <TableRow>
                    <TableHead>Partner</TableHead>
                    <TableHead>Offers by</TableHead>
                    <TableHead>States</TableHead>
                    <TableHead>Capacity</TableHead>
                    <TableHead className="text-right">Offered today</TableHead>
                    <TableHead>Time to answer</TableHead>
                    {manage ? <TableHead className="sr-only">Actions</TableHead> : null}
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {partners.map((p) => (
                    <TableRow key={p.id}>
                      <TableCell className="whitespace-normal">
                        <div className="flex items-center gap-2">
                          <span className="font-medium">{p.name}</span>
                          {p.active ? null : <Badge variant="outline">Inactive</Badge>}
                        </div>
                        <p className="text-xs text-muted-foreground">
                          {p.contact_email}
                          {p.phone ? ` · ${p.phone}` : ""}
                        </p>
                      </TableCell>
                      <TableCell className="whitespace-normal">
                        <span>{PARTNER_CHANNEL_LABELS[p.channel]}</span>
                        {p.webhook_url ? (
                          <p className="max-w-64 truncate text-xs text-muted-foreground" title={p.webhook_url}>
                            {p.webhook_url}
                          </p>
                        ) : null}
                        {p.channel !== "email" ? (
                          <p className="text-xs text-muted-foreground">{p.secret_hint ? `Secret ••••${p.secret_hint}` : "No signing secret"}</p>
                        ) : null}
                      </TableCell>
                      <TableCell>{p.states.length ? p.states.join(", ") : "Any"}</TableCell>
                      <TableCell>{capacity(p.capacity_per_day, p.capacity_per_week)}</TableCell>
                      <TableCell className="text-right">{p.offered_today}</TableCell>
                      <TableCell>{p.response_hours} h</TableCell>
                      {manage ? (
                        <TableCell className="text-right">
                          <PartnerDialog partner={p} />
                          {p.channel !== "email" ? <RotatePartnerSecretButton partner={p} /> : null}
                          <DeletePartnerButton partner={p} />
                        </TableCell>
                      ) : null}
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </div>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Offers</h2>
          </CardTitle>
          <CardDescription>The latest 50 leads offered to partners, and their answers.</CardDescription>
        </CardHeader>
        <CardContent>
          {deliveries.length ? (
            <DeliveryTable deliveries={deliveries} zone={zone} />
          ) : (
            <p className="text-sm text-muted-foreground">No leads offered yet.</p>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
