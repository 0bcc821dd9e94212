// Server face of routing: the partner link's page (no account) uses these.
export { answerOffer, loadOffer, type Offer, type OfferAnswer } from "./offer";
