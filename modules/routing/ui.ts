// Browser-safe face of routing: components and server actions.
export { OfferAnswer } from "./components/offer-answer";
export { DeletePartnerButton, PartnerDialog } from "./components/partner-dialog";
export { RouteAgainButton } from "./components/route-again-button";
export { RoutingPreview } from "./components/routing-preview";
export { RuleDialog } from "./components/rule-dialog";
export { RuleList } from "./components/rule-list";
