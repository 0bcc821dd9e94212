// Browser-safe face of crm/companies: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { archiveCompaniesAction, assignCompaniesAction, deleteCompaniesAction, editCompanyCell, restoreCompaniesAction, tagCompaniesAction } from "./actions";
export { type CompanyOption, CompanyPicker } from "./components/company-picker";
export { EditCompanyButton } from "./components/edit-company-button";
export { NewCompanyButton } from "./components/new-company-button";
export { companyCreateSchema, companyUpdateSchema } from "./schema";
