// Browser-safe face of auth: components, server actions, schemas and
// helpers any code outside the module may use, client components included.
export { signOut } from "./actions";
export { AcceptInviteForm, ForgotPasswordForm, ResetPasswordForm } from "./components/password-forms";
export { GoogleInviteButton, GoogleSignInButton } from "./components/google-forms";
export { GOOGLE_SIGN_IN_ERRORS } from "./google-intent";
export { SignInForm } from "./components/sign-in-form";
export { SignUpForm } from "./components/sign-up-form";
export { email, safeNext } from "./schema";
