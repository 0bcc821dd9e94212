// Browser-safe face of routing: components and server actions.
export { DevPartnerAnswer } from "./components/dev-partner-answer";
export { OfferAnswer } from "./components/offer-answer";
export { DeletePartnerButton, PartnerDialog } from "./components/partner-dialog";
export { RotatePartnerSecretButton } from "./components/partner-secret";
export { RouteAgainButton } from "./components/route-again-button";
export { RoutingPreview } from "./components/routing-preview";
export { RuleDialog } from "./components/rule-dialog";
export { RuleList } from "./components/rule-list";
export { PARTNER_CHANNEL_LABELS } from "./schema";
