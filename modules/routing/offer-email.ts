// The email offering a lead to a partner: who offers it, the little needed
// to open it (state, source), and the single-use link. No contact details:
// the link's page shows what is needed to decide, acceptance the rest.
import { layout } from "../../lib/mail/layout.ts";

/** Times in UTC, named: the partner has no profile to take a zone from. */
const utc = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function partnerOfferEmail(p: { orgName: string; partnerName: string; state: string | null; source: string; url: string; expiresAt: Date }) {
  const where = p.state ? ` in ${p.state}` : "";
  return {
    subject: `New lead${where} from ${p.orgName}`,
    tag: "partner_offer",
    ...layout({
      heading: `${p.orgName} has a lead for ${p.partnerName}`,
      lines: [`A new ${p.source.toLowerCase()} lead${where} is waiting for your answer. Open it to see the details and accept or decline.`],
      action: { label: "Review the lead", url: p.url },
      footer: `The link works once and expires on ${utc.format(p.expiresAt)} (UTC). If it expires, the lead goes to someone else.`,
    }),
  };
}
