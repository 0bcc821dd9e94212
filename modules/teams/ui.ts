// Browser-safe face of teams: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { NewTeamForm, TeamCard } from "./components/team-settings";
