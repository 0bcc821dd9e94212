// Reads for the routing settings, the partners page and a lead's routing
// history, under the member's RLS (offers: managers and up).
import { sql, type Tx } from "@/lib/db";
import type { PartnerChannel, RuleAction } from "./schema";

export interface RuleMember {
  id: string;
  name: string;
  assigned_count: number;
}

export interface RoutingRule {
  id: string;
  name: string;
  position: number;
  enabled: boolean;
  sources: string[];
  form_ids: string[];
  states: string[];
  utm: Record<string, string>;
  custom_field: string | null;
  custom_value: string | null;
  action: RuleAction;
  users: RuleMember[];
  partners: RuleMember[];
}

export async function listRules(tx: Tx): Promise<RoutingRule[]> {
  const r = await sql<RoutingRule>`
    select r.id, r.name, r.position, r.enabled, r.sources, r.form_ids, r.states, r.utm, r.custom_field, r.custom_value,
           r.action,
           coalesce((select jsonb_agg(jsonb_build_object('id', m.user_id, 'assigned_count', m.assigned_count,
                                                         'name', coalesce(nullif(p.full_name, ''), p.email::text))
                                      order by m.position)
                     from public.routing_rule_members m join public.profiles p on p.user_id = m.user_id
                     where m.rule_id = r.id), '[]') as users,
           coalesce((select jsonb_agg(jsonb_build_object('id', m.partner_id, 'assigned_count', m.assigned_count,
                                                         'name', pa.name) order by m.position)
                     from public.routing_rule_members m join public.partners pa on pa.id = m.partner_id
                     where m.rule_id = r.id), '[]') as partners
    from public.lead_routing_rules r
    order by r.position, r.created_at`.execute(tx);
  return r.rows;
}

export interface Partner {
  id: string;
  name: string;
  contact_email: string;
  phone: string | null;
  states: string[];
  capacity_per_day: number | null;
  capacity_per_week: number | null;
  response_hours: number;
  notes: string | null;
  active: boolean;
  channel: PartnerChannel;
  webhook_url: string | null;
  /** Last four characters of the webhook signing secret; null without one. */
  secret_hint: string | null;
  offered_today: number;
}

export async function listPartners(tx: Tx): Promise<Partner[]> {
  const r = await sql<Partner>`
    select p.id, p.name, p.contact_email::text as contact_email, p.phone, p.states, p.capacity_per_day,
           p.capacity_per_week, p.response_hours, p.notes, p.active, p.channel, p.webhook_url,
           (select s.hint from public.org_secrets s
            where s.org_id = p.org_id and s.purpose = 'partners.webhook_secret:' || p.id) as secret_hint,
           (select count(*)::int from public.partner_deliveries d
            where d.partner_id = p.id and d.created_at > now() - interval '1 day') as offered_today
    from public.partners p
    order by lower(p.name), p.id`.execute(tx);
  return r.rows;
}

export interface Delivery {
  id: string;
  lead_id: string;
  lead_name: string;
  partner_id: string;
  partner_name: string;
  rule_name: string | null;
  status: "sent" | "accepted" | "rejected" | "expired" | "failed";
  channel: PartnerChannel;
  created_at: Date;
  notified_at: Date | null;
  expires_at: Date;
  responded_at: Date | null;
  reason: string | null;
}

/** Offers, newest first: the org's, or one lead's. Empty below manager (RLS). */
export async function listDeliveries(tx: Tx, opts: { leadId?: string; limit?: number } = {}): Promise<Delivery[]> {
  const r = await sql<Delivery>`
    select d.id, d.lead_id, coalesce(nullif(l.full_name, ''), l.email::text, l.phone) as lead_name,
           d.partner_id, p.name as partner_name, r.name as rule_name, d.status, d.channel, d.created_at, d.notified_at,
           d.expires_at, d.responded_at, d.reason
    from public.partner_deliveries d
    join public.partners p on p.id = d.partner_id
    join public.leads l on l.id = d.lead_id
    left join public.lead_routing_rules r on r.id = d.rule_id
    where ${opts.leadId ?? null}::uuid is null or d.lead_id = ${opts.leadId ?? null}::uuid
    order by d.created_at desc, d.id
    limit ${opts.limit ?? 50}`.execute(tx);
  return r.rows;
}

export interface RoutingEvent {
  id: string;
  kind: "routed" | "routing_failed" | "route_requested" | "partner_accepted" | "partner_rejected" | "partner_expired" | "partner_failed";
  occurred_at: Date;
  data: {
    rule_name?: string;
    user_name?: string | null;
    partner_name?: string;
    reason?: string | null;
    routed?: boolean;
  };
}

/** The lead's routing history: which rule took it, to whom, and partners' answers, oldest first. */
export async function leadRoutingHistory(tx: Tx, leadId: string): Promise<RoutingEvent[]> {
  const r = await sql<RoutingEvent>`
    select id::text, kind, occurred_at, data from public.timeline_events
    where lead_id = ${leadId}::uuid
      and kind in ('routed', 'routing_failed', 'route_requested', 'partner_accepted', 'partner_rejected', 'partner_expired',
                   'partner_failed')
    order by occurred_at, id`.execute(tx);
  return r.rows;
}

export interface RoutingOptions {
  users: { id: string; name: string }[];
  partners: { id: string; name: string; active: boolean }[];
  sources: { key: string; label: string }[];
  forms: { id: string; name: string }[];
  customFields: { key: string; label: string }[];
}

/** What a rule's form offers to choose from. */
export async function routingOptions(tx: Tx): Promise<RoutingOptions> {
  const [users, partners, sources, forms, customFields] = await Promise.all([
    sql<{ id: string; name: string }>`
      select m.user_id as id, coalesce(nullif(p.full_name, ''), p.email::text) as name
      from public.org_members m join public.profiles p on p.user_id = m.user_id
      order by lower(coalesce(nullif(p.full_name, ''), p.email::text))`.execute(tx),
    sql<{ id: string; name: string; active: boolean }>`select id, name, active from public.partners order by lower(name)`.execute(tx),
    sql<{ key: string; label: string }>`
      select key, label from public.lead_sources where archived_at is null order by position, key`.execute(tx),
    sql<{ id: string; name: string }>`select id::text, name from public.web_forms order by lower(name)`.execute(tx),
    sql<{ key: string; label: string }>`
      select key, label from public.custom_field_definitions
      where object_type = 'lead' and archived_at is null order by position, key`.execute(tx),
  ]);
  return { users: users.rows, partners: partners.rows, sources: sources.rows, forms: forms.rows, customFields: customFields.rows };
}
