// Whether a connection may use named prepared statements: yes, unless the
// setting (DATABASE_PREPARE) is `false` or the URL is a transaction-mode
// pooler's (Supabase's Supavisor listens on 6543 for that), where
// consecutive statements may reach different server connections that never
// saw the PREPARE. Web-standard: the app (lib/db) and the Edge Functions
// that drain queues read it.
export function preparedStatementsOn(url: string, setting: string | undefined): boolean {
  if (setting === "false" || setting === "0") return false;
  if (setting === "true" || setting === "1") return true;
  try {
    return new URL(url).port !== "6543";
  } catch {
    return true;
  }
}
