// Server face of teams: what server code outside the module (pages, other
// modules' services) may use. Client components take only types here.
export { listTeamOptions, listTeams, myTeamIds, teamNamesByMember, type Team, type TeamMember } from "./queries";
export { addTeamMember, archiveTeam, createTeam, removeTeamMember, updateTeam } from "./service";
