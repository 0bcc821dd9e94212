// Server face of orgs: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { getOrg, listAudit, listInvites, listMembers, myPhone } from "./queries";
