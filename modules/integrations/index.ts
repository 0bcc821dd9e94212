// Server face of integrations: what server code outside the module (pages,
// route handlers, other modules) may use. Client components take only types here.
export { AlertsNav } from "./components/alerts-nav";
export { IntegrationHealthList } from "./components/integration-health";
export { type AlertItem, type IntegrationHealth, integrationOverview, listAlerts, openAlertCount } from "./queries";
