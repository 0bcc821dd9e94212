// Server face of crm/search: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { searchAsMember } from "./queries";
