import { z } from "zod";

// Defaults describe the embedded runtime (`npm start`); a deployment sets
// every variable (see .env.example).
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  APP_URL: z.url().default("http://localhost:3000"),
  DATABASE_URL: z.string().min(1).default("postgres://covey_app:covey-local-app@127.0.0.1:54322/postgres"),
  NEXT_PUBLIC_SUPABASE_URL: z.url().default("http://127.0.0.1:54321"),
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: z.string().min(1).default("sb_publishable_covey_local"),
  AUTH_EMAIL_HOOK_SECRET: z.string().regex(/^v1,whsec_/, "must look like v1,whsec_<base64>").optional(),
  MAIL_DRIVER: z.enum(["dev", "resend"]).default("dev"),
  MAIL_FROM: z.string().default("Covey <no-reply@covey.local>"),
  RESEND_API_KEY: z.string().optional(),
  // Reverse proxies whose X-Forwarded-* headers are believed (see lib/http/forwarded.ts).
  TRUSTED_PROXIES: z.string().default(""),
  // Cloudflare Turnstile for web forms that switch it on: checked server-side
  // only when a secret is set (modules/forms/turnstile.ts).
  TURNSTILE_SECRET_KEY: z.string().optional(),
  TURNSTILE_SITE_KEY: z.string().optional(),
  TURNSTILE_VERIFY_URL: z.url().default("https://challenges.cloudflare.com/turnstile/v0/siteverify"),
  TURNSTILE_SCRIPT_URL: z.url().default("https://challenges.cloudflare.com/turnstile/v0/api.js"),
  COVEY_EMBEDDED: z.enum(["0", "1"]).default("0"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof schema>;

let parsed: Env | undefined;

export function env(): Env {
  if (!parsed) {
    const result = schema.safeParse(process.env);
    if (!result.success) {
      const issues = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid environment: ${issues}`);
    }
    if (result.data.MAIL_DRIVER === "resend" && !result.data.RESEND_API_KEY) {
      throw new Error("Invalid environment: RESEND_API_KEY is required when MAIL_DRIVER=resend");
    }
    parsed = result.data;
  }
  return parsed;
}

/** True on the embedded runtime, where dev-only pages (mailbox) exist. */
export function isEmbedded() {
  return env().COVEY_EMBEDDED === "1";
}
