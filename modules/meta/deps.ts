// The Meta services' dependencies as the app runs them: its database, its
// key-encryption keys and the Graph API adapter configured from the
// environment. Each is resolved when first needed, so a page that only
// lists connections works on a deployment without Meta configured.
import { appKeyring } from "@/lib/crypto/keyring";
import { database } from "@/lib/db";
import { graphClient, metaConfig } from "./graph";
import type { MetaDeps } from "./service";

export function appMetaDeps(): MetaDeps {
  return {
    db: database(),
    keyring: appKeyring,
    graph: () => graphClient(metaConfig((name) => process.env[name])),
  };
}
