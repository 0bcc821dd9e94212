// Server face of routing: reads and services for pages, the partner link's
// offer (no account) and the server-rendered parts of its screens.
export { DeliveryStatusBadge } from "./components/delivery-status";
export { DeliveryTable } from "./components/delivery-table";
export { LeadRouting } from "./components/lead-routing";
export { answerOfferRequest } from "./answer-http";
export { answerOffer, loadOffer, type Offer, type OfferAnswer } from "./offer";
export {
  type Delivery,
  leadRoutingHistory,
  listDeliveries,
  listPartners,
  listRules,
  type Partner,
  type RoutingEvent,
  type RoutingOptions,
  routingOptions,
  type RoutingRule,
} from "./queries";
export { deletePartner, deleteRule, moveRule, previewRouting, routeLeadAgain, savePartner, saveRule, setRuleEnabled } from "./service";
