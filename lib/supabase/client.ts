import { createBrowserClient } from "@supabase/ssr";

/** Supabase client for client components (Realtime later; auth runs on the server). */
export function createClient() {
  return createBrowserClient(
    process.env.NEXT_PUBLIC_SUPABASE_URL ?? "http://127.0.0.1:54321",
    process.env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY ?? "sb_publishable_covey_local",
  );
}
