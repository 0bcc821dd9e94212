import type { Tx } from "@/lib/db";
import { pgError } from "@/lib/db/errors";
import { fieldError, parseInput } from "@/lib/errors";
import { profileSchema, UNKNOWN_TIME_ZONE } from "./schema";

/**
 * Saves the member's own name, time zone and phone. A zone the runtime knows but
 * the database's zone list does not (their IANA releases differ) is refused
 * on the field like any other unknown zone.
 */
export async function saveProfile(tx: Tx, userId: string, input: unknown): Promise<void> {
  const { fullName, timeZone, phone } = parseInput(profileSchema, input);
  try {
    await tx
      .updateTable("profiles")
      .set({ full_name: fullName, ...(timeZone === undefined ? {} : { time_zone: timeZone }), ...(phone === undefined ? {} : { phone }) })
      .where("user_id", "=", userId)
      .execute();
  } catch (e) {
    if (pgError(e)?.constraint_name === "profiles_time_zone_check") throw fieldError("timeZone", UNKNOWN_TIME_ZONE);
    throw e;
  }
}
