import type { Role } from "./permissions";

/** Who is acting: a signed-in member, or the member an API key acts for. */
export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
}
