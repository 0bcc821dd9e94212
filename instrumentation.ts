export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && typeof globalThis.WebSocket === "undefined") {
    // supabase-js refuses to construct without a WebSocket on Node 20.
    const { WebSocket } = await import("ws");
    (globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
  }
}
