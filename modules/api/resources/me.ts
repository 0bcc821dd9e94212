import { z } from "zod";
import { defineOperation } from "@/modules/api/core/operation";

const meResponse = z.object({
  object: z.literal("api_key"),
  id: z.uuid(),
  prefix: z.string(),
  org: z.object({ id: z.uuid(), name: z.string() }),
  member: z.object({ id: z.uuid(), email: z.string(), role: z.string() }),
  scopes: z.array(z.string()),
  rate_limit_per_minute: z.number().int(),
});

/** `GET /api/v1/me`: which key this is, for which org and member, with which scopes. */
export const getMe = defineOperation({
  id: "getMe",
  method: "get",
  path: "/me",
  tag: "Keys",
  summary: "The calling key: its org, member and scopes",
  response: meResponse,
  async handle({ tx, claims }) {
    const row = await tx
      .selectFrom("orgs as o")
      .innerJoin("profiles as p", (j) => j.on("p.user_id", "=", claims.sub))
      .select(["o.id", "o.name", "p.email"])
      .where("o.id", "=", claims.org_id)
      .executeTakeFirstOrThrow();
    return {
      object: "api_key",
      id: claims.api_key_id,
      prefix: claims.key_prefix,
      org: { id: row.id, name: row.name },
      member: { id: claims.sub, email: row.email, role: claims.member_role },
      scopes: claims.scopes,
      rate_limit_per_minute: claims.rate_limit_per_minute,
    };
  },
});

export const meOperations = [getMe];
