// Server face of crm/companies: what server code outside the module (pages, route
// handlers, other modules) may use. Client components take only types here.
export { builtInCompanyFields, companyListFields, companyPeople, getCompany, listCompanies, relatedDeals } from "./queries";
export { archiveCompanies, createCompany, deleteCompanies, restoreCompanies, updateCompany } from "./service";
