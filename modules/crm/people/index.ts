// Server face of crm/people: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { builtInPersonFields, countPeople, getPerson, listPeople, personDeals, personListFields, personSearchConditions } from "./queries";
export { archivePeople, createPerson, deletePeople, restorePeople, updatePerson } from "./service";
