// The notification types, each with the words a member sees. The database
// lists the same types (private.notification_types(), which holds every
// writer to them); types.int.test.ts checks the two lists agree. A new type
// is added there first, then here.

export const NOTIFICATION_TYPES = {
  lead_assigned: {
    label: "Lead assigned to you",
    description: "Someone else makes you the owner of a lead, or a routing rule does.",
  },
  partner_responded: {
    label: "Partner responded",
    description: "A fulfillment partner accepts, rejects or lets a lead you own expire.",
  },
  email_received: {
    label: "Email received",
    description: "A reply or new email from a person or lead you own reaches a connected mailbox.",
  },
  integration_alert: {
    label: "Integration alert",
    description: "An integration starts failing or needs attention (owners and admins).",
  },
  inbound_message: {
    label: "Inbound message",
    description: "Someone texts one of your records, or a number whose texts from strangers come to you.",
  },
  date_reminder: {
    label: "Date reminder",
    description: "An important date on a record you own is coming up (in the bell and by email).",
  },
  voicemail: {
    label: "Voicemail",
    description: "A caller leaves a voicemail for one of your records, or on a number whose calls from strangers come to you.",
  },
  match: {
    label: "Match",
    description: "A match between deals you own is proposed, moves on, is declined or becomes matched.",
  },
  handoff_submitted: {
    label: "Handoff waiting",
    description: "A deal is submitted for handoff to a stage your team or role receives (intake to case management).",
  },
  handoff_decided: {
    label: "Handoff decided",
    description: "The receiving side accepts a deal you submitted for handoff, or denies it with a reason.",
  },
} as const satisfies Record<string, { label: string; description: string }>;

export type NotificationType = keyof typeof NOTIFICATION_TYPES;

export const NOTIFICATION_TYPE_KEYS = Object.keys(NOTIFICATION_TYPES) as NotificationType[];

export const isNotificationType = (t: string): t is NotificationType => Object.hasOwn(NOTIFICATION_TYPES, t);

export const notificationTypeLabel = (t: string) => (isNotificationType(t) ? NOTIFICATION_TYPES[t].label : t);
