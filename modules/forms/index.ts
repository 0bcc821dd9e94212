// Server face of forms: what server code outside the module (pages, route
// handlers) may use. Client components take only types here.
export { answerPreflight, receiveSubmission, serveFillToken, serveFormPage } from "./endpoint";
