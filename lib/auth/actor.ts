import type { Claims } from "@/lib/db";
import type { Role } from "./permissions";

/** Who is acting: a signed-in member, or the member an API key acts for. */
export interface Actor {
  userId: string;
  orgId: string;
  role: Role;
}

/**
 * The same member, for a service that opens its own transaction: it runs
 * under the verified claims (whose `sub` is the member), so it carries those
 * instead of the user id.
 */
export interface SessionActor extends Omit<Actor, "userId"> {
  claims: Claims;
}
