import { z } from "zod";
import { ROLES } from "@/lib/auth/permissions";
import { isTimeZone } from "@/lib/time";
import { zString } from "@/lib/validation";
import { email } from "@/modules/auth/ui";
import { zPhone } from "@/modules/crm/values/ui";

export const role = z.enum(ROLES, { error: "Choose a role" });

export const inviteSchema = z.object({ email, role });
export const changeRoleSchema = z.object({ memberId: z.uuid(), role });
export const memberIdSchema = z.object({ memberId: z.uuid() });
export const inviteIdSchema = z.object({ inviteId: z.uuid() });

const domain = zString("Domain")
  .trim()
  .toLowerCase()
  .transform((d) => d.replace(/^@/, ""))
  .pipe(z.string().regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/, "Not a valid domain"));

export const orgSettingsSchema = z.object({
  name: zString("Name").trim().min(1, "Enter the organization's name").max(120, "Name is too long"),
  defaultCurrency: zString("Currency")
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "Use a 3-letter ISO currency code, e.g. USD"),
  // Comma, space or newline separated in the form.
  allowedEmailDomains: zString("Email domains")
    .transform((s) => s.split(/[\s,;]+/).filter(Boolean))
    .pipe(z.array(domain).max(50, "At most 50 domains")),
});

export type InviteInput = z.input<typeof inviteSchema>;
export type OrgSettingsInput = z.input<typeof orgSettingsSchema>;

export const INVITE_TTL_DAYS = 7;

export const UNKNOWN_TIME_ZONE = "Choose a time zone from the list";

export const profileSchema = z.object({
  fullName: zString("Name").trim().min(1, "Enter your name").max(120, "Name is too long"),
  /** An IANA zone name; "" (or null) follows the browser's zone; absent leaves it as it is. */
  timeZone: zString("Time zone")
    .trim()
    .nullish()
    .refine((v) => !v || isTimeZone(v), UNKNOWN_TIME_ZONE)
    .transform((v) => (v === undefined ? undefined : v || null)),
  /** The member's own phone, which click-to-call rings first: stored E.164; "" (or null) clears it; absent leaves it. */
  phone: zPhone(),
});
