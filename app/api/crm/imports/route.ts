import { getSession } from "@/lib/auth/session";
import { database } from "@/lib/db";
import { log } from "@/lib/log";
import { createUploadHandler } from "@/modules/crm/import";

export const dynamic = "force-dynamic";

export const POST = createUploadHandler({
  session: getSession,
  database,
  log: (err, message) => log.error({ err }, message),
});
