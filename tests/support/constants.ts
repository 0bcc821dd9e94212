export { LOCAL_DB_PASSWORD } from "../../supabase/local/postgres.ts";
export { LOCAL_ROLE_PASSWORDS } from "../../lib/db/migrate.ts";
