import { z } from "zod";
import { zString } from "@/lib/validation";

export const MIN_PASSWORD_LENGTH = 8;

export const email = zString("Email").trim().toLowerCase().pipe(z.email("Enter a valid email address"));
export const password = zString("Password")
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(72, "Password must be at most 72 characters");
const fullName = zString("Name").trim().min(1, "Enter your name").max(120, "Name is too long");

export const signInSchema = z.object({
  email,
  password: zString("Password").min(1, "Enter your password"),
  next: z.string().optional(),
});

const orgName = zString("Organization name").trim().min(1, "Enter your organization's name").max(120, "Name is too long");
const inviteToken = zString("Invitation").min(16).max(200);

/**
 * What a new organization starts as. Each is data the database seeds at
 * sign-up (private.apply_org_template): pipelines, stages, teams, statuses
 * and custom fields its admins may change afterwards.
 */
export const ORG_TEMPLATES = [
  { value: "sales", title: "Sales CRM", description: "Leads, companies, people and one deals pipeline." },
  {
    value: "surrogacy",
    title: "Surrogacy agency",
    description: "Cases from intake to case management, intended parents, Intake and Case management teams.",
  },
  { value: "leadgen", title: "Lead generation", description: "Leads routed to fulfillment partners, and a sales pipeline." },
] as const;
export type OrgTemplate = (typeof ORG_TEMPLATES)[number]["value"];
export const TEMPLATE_REFUSAL = "Choose a template: Sales CRM, Surrogacy agency or Lead generation";
const template = z.enum(["sales", "surrogacy", "leadgen"] satisfies OrgTemplate[], { error: TEMPLATE_REFUSAL });

export const signUpSchema = z.object({ fullName, orgName, email, password, template });

export const googleSignInSchema = z.object({ next: z.string().optional() });
export const googleSignUpSchema = z.object({ orgName, template });
export const googleInviteSchema = z.object({ token: inviteToken });

export const magicLinkSchema = z.object({ email, next: z.string().optional() });
export const forgotPasswordSchema = z.object({ email });
export const resetPasswordSchema = z
  .object({ password, confirm: zString("Password") })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "Passwords do not match" });

export const acceptInviteSchema = z.object({ token: inviteToken, fullName, password });

export type SignInInput = z.input<typeof signInSchema>;
export type SignUpInput = z.input<typeof signUpSchema>;
export type AcceptInviteInput = z.input<typeof acceptInviteSchema>;

/** A same-origin path to go to after signing in; anything else goes home. */
export function safeNext(next: string | undefined | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
