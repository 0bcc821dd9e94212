// Every job kind the queue runs, and its handler. A module adds its kinds
// here, importing the handler from its own edge.ts (web-standard code Deno
// runs). A job of a kind not listed is dead-lettered ("unknown_kind").
import { RECEIVE_CALL_JOB, receiveCall } from "../../../modules/calls/edge.ts";
import { EMAIL_REMINDER_JOB, emailDateReminder, REMIND_JOB, remindDealDates } from "../../../modules/crm/dates/edge.ts";
import { POLL_JOB, pollGmailMailboxes, SYNC_JOB, syncGmailMailbox } from "../../../modules/gmail/edge.ts";
import { type JobHandler, pruneJobs } from "../../../modules/jobs/edge.ts";
import {
  checkMetaTokens,
  FETCH_LEAD_JOB,
  fetchMetaLead,
  IMPORT_AD_SPEND_JOB,
  importAdSpend,
  PRUNE_INBOUND_EVENTS_JOB,
  pruneInboundEvents,
  SCHEDULE_AD_SPEND_JOB,
  scheduleAdSpendImports,
  SEND_CONVERSION_JOB,
  SEND_CONVERSIONS_JOB,
  sendMetaConversion,
  sendMetaConversions,
  TOKEN_CHECK_JOB,
} from "../../../modules/meta/edge.ts";
import { PRUNE_NOTIFICATIONS_JOB, pruneNotifications } from "../../../modules/notifications/edge.ts";
import { deliverToPartner, expirePartnerOffers, OFFER_WEBHOOK_JOB, postOfferWebhook } from "../../../modules/routing/edge.ts";
import { RECEIVE_SMS_JOB, receiveSms, SEND_SMS_JOB, sendSms } from "../../../modules/sms/edge.ts";
import { pruneWebhookHistory } from "../../../modules/webhooks/edge.ts";

export const handlers: Record<string, JobHandler> = {
  "jobs.prune": pruneJobs,
  "partners.deliver": deliverToPartner,
  "partners.expire": expirePartnerOffers,
  [OFFER_WEBHOOK_JOB]: postOfferWebhook,
  "webhooks.prune_history": pruneWebhookHistory,
  [FETCH_LEAD_JOB]: fetchMetaLead,
  [TOKEN_CHECK_JOB]: checkMetaTokens,
  [SEND_CONVERSION_JOB]: sendMetaConversion,
  [SEND_CONVERSIONS_JOB]: sendMetaConversions,
  [PRUNE_INBOUND_EVENTS_JOB]: pruneInboundEvents,
  [SYNC_JOB]: syncGmailMailbox,
  [POLL_JOB]: pollGmailMailboxes,
  [IMPORT_AD_SPEND_JOB]: importAdSpend,
  [SCHEDULE_AD_SPEND_JOB]: scheduleAdSpendImports,
  [PRUNE_NOTIFICATIONS_JOB]: pruneNotifications,
  [RECEIVE_SMS_JOB]: receiveSms,
  [SEND_SMS_JOB]: sendSms,
  [RECEIVE_CALL_JOB]: receiveCall,
  [REMIND_JOB]: remindDealDates,
  [EMAIL_REMINDER_JOB]: emailDateReminder,
};
