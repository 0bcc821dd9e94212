// The integrations Settings → Integrations lists, in its order, with the
// page where each is set up (null until it has one). `key` is the name
// adapters record health and raise alerts under.

export interface IntegrationInfo {
  key: string;
  label: string;
  description: string;
  settingsHref: string | null;
}

export const INTEGRATIONS = [
  {
    key: "meta",
    label: "Meta Lead Ads",
    description: "Leads from Facebook and Instagram lead ads, per connected page.",
    settingsHref: "/settings/integrations/meta",
  },
  { key: "web_forms", label: "Web forms", description: "Lead capture forms on your own sites.", settingsHref: "/settings/forms" },
  { key: "twilio", label: "Twilio", description: "Calls and text messages on your numbers.", settingsHref: "/settings/numbers" },
  { key: "gmail", label: "Gmail", description: "Email sent and synced from members' mailboxes.", settingsHref: "/settings/integrations/gmail" },
  {
    key: "webhooks",
    label: "Outbound webhooks",
    description: "Signed events delivered to your endpoints.",
    settingsHref: "/settings/webhooks",
  },
  {
    key: "partners",
    label: "Partner webhooks",
    description: "Lead offers POSTed, signed, to fulfillment partners' systems.",
    settingsHref: "/settings/partners",
  },
  {
    key: "jobs",
    label: "Background jobs",
    description: "Provider fetches, sends and reminders, retried until done.",
    settingsHref: "/settings/jobs",
  },
] as const satisfies readonly IntegrationInfo[];

export type IntegrationKey = (typeof INTEGRATIONS)[number]["key"];

export const integrationLabel = (key: string) => INTEGRATIONS.find((i) => i.key === key)?.label ?? key;

export const SEVERITY_LABELS = { info: "Info", warning: "Warning", critical: "Critical" } as const;
export type Severity = keyof typeof SEVERITY_LABELS;

export const ALERT_VIEWS = ["active", "snoozed", "resolved"] as const;
export type AlertView = (typeof ALERT_VIEWS)[number];

/** Hours offered for a snooze (any 1–720 may be typed). */
export const SNOOZE_PRESETS = [1, 4, 24, 72] as const;
