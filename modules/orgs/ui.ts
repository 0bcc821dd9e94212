// Browser-safe face of orgs: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { InviteForm } from "./components/invite-form";
export { InviteMenu, RemoveMemberButton, RoleSelect } from "./components/member-actions";
export { OrgSettingsForm } from "./components/org-settings-form";
export { ProfileForm } from "./components/profile-form";
