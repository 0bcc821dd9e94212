// How a text's delivery reads to a member, and Twilio's common error codes in words.

export const SMS_STATUS_LABELS: Record<string, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  undelivered: "Undelivered",
  failed: "Failed",
  received: "Received",
};

const ERRORS: Record<number, string> = {
  21211: "not a valid phone number",
  21408: "the destination's region is not enabled",
  21610: "the recipient replied STOP",
  21614: "not a mobile number",
  30003: "the handset is unreachable",
  30004: "the message was blocked",
  30005: "the number is unknown or no longer exists",
  30006: "a landline or unreachable carrier",
  30007: "filtered by the carrier as spam",
  30008: "an unknown error at the carrier",
};

/** "Undelivered · 30003: the handset is unreachable" and the like. */
export function smsStatusText(status: string, errorCode: number | null, errorMessage: string | null): string {
  const label = SMS_STATUS_LABELS[status] ?? status;
  if (status !== "undelivered" && status !== "failed") return label;
  const why = errorCode ? `${errorCode}: ${ERRORS[errorCode] ?? errorMessage ?? "see Twilio's error reference"}` : errorMessage;
  return why ? `${label} · ${why}` : label;
}
