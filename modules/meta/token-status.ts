// What a debug_token answer means for a connected page. Web-standard: the
// daily token check (a job) and the settings page share it.
import type { TokenDebug } from "./graph.ts";

export type TokenStatus = "unknown" | "valid" | "expiring" | "expired" | "invalid";

/** Permissions a page token needs for Lead Ads: reading leads. */
export const REQUIRED_SCOPES = ["leads_retrieval"];
export const EXPIRING_WITHIN_DAYS = 7;

export interface TokenVerdict {
  status: TokenStatus;
  expiresAt: Date | null;
  error: string | null;
}

export function tokenVerdict(debug: TokenDebug, now = new Date()): TokenVerdict {
  const expiresAt = debug.expires_at ? new Date(debug.expires_at * 1000) : null;
  if (!debug.is_valid) {
    const expired = debug.error?.subcode === 463 || (expiresAt !== null && expiresAt <= now);
    return { status: expired ? "expired" : "invalid", expiresAt, error: debug.error?.message ?? "Meta says the token is not valid" };
  }
  const missing = REQUIRED_SCOPES.filter((s) => !(debug.scopes ?? []).includes(s));
  if (missing.length) return { status: "invalid", expiresAt, error: `The token lacks the ${missing.join(", ")} permission` };
  if (expiresAt && expiresAt.getTime() - now.getTime() < EXPIRING_WITHIN_DAYS * 86_400_000) {
    return { status: "expiring", expiresAt, error: null };
  }
  return { status: "valid", expiresAt, error: null };
}

export const TOKEN_STATUS_LABELS: Record<TokenStatus, string> = {
  unknown: "Not checked",
  valid: "Valid",
  expiring: "Expiring soon",
  expired: "Expired",
  invalid: "Invalid",
};
