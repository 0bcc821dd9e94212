// Browser-safe face of routing: components and server actions.
export { OfferAnswer } from "./components/offer-answer";
