// Server face of meta: what pages, route handlers and other modules' server
// code may use. Client components take only types here.
export { TokenStatusBadge } from "./components/token-status-badge";
export { type ConversionStageRow, listConversionStages, type MetaFormRow, type MetaPageRow, listMetaPages } from "./queries";
export { type ConnectionTest, type MetaDeps, pageTokenPurpose } from "./service";
export { appMetaDeps } from "./deps";
export { DEMO_AD_ACCOUNT, DEMO_FORMS, DEMO_META, SURROGACY_DEMO_FORMS, SURROGACY_DEMO_META } from "./demo";
export { AdAccountsCard } from "./components/ad-accounts-card";
export { type AdAccountRow, type CampaignCost, campaignCosts, listAdAccounts, listAdSpend, type SpendRowOut } from "./ad-spend-queries";
export { type AdAccountTest } from "./ad-accounts";
