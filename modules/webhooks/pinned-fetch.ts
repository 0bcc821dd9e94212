// Sends a delivery over a connection to the address the SSRF guard checked,
// not to whatever the host name resolves to when the connection is made: a
// DNS answer that changes between the check and the connect (rebinding)
// would otherwise reach an internal address. The URL still names the
// request: Host header, TLS server name and certificate check are the host's.
//
// Built on undici's Agent, whose connect options take a `lookup`; Node and
// Deno (as npm:undici) both run it. The caller passes the undici module in,
// so this file imports nothing and Deno reads it as it is.

type LookupCallback = (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void;

/** The part of undici used here. */
export interface Undici {
  Agent: new (opts: {
    connect: Record<string, unknown> & { lookup: (hostname: string, options: { all?: boolean }, cb: LookupCallback) => void };
  }) => { close(): Promise<void> };
  // deno-lint-ignore no-explicit-any
  fetch(input: string, init: any): Promise<Response>;
}

export interface PinnedFetch {
  /** POSTs (or whatever `init` says) to `url`, connecting to `address` only. */
  (url: URL, address: string, init: RequestInit): Promise<Response>;
  /** Closes the pooled connections. */
  close(): Promise<void>;
}

/**
 * A fetch pinned per call to a checked address. Connections are pooled per
 * host and address. `connect` adds TLS options (tests pass their own CA).
 */
export function pinnedFetch(undici: Undici, connect: Record<string, unknown> = {}): PinnedFetch {
  const agents = new Map<string, InstanceType<Undici["Agent"]>>();
  const agentFor = (host: string, address: string) => {
    const key = `${host} ${address}`;
    let agent = agents.get(key);
    if (!agent) {
      const family = address.includes(":") ? 6 : 4;
      agent = new undici.Agent({
        connect: {
          ...connect,
          // Whatever name the connection asks for, the answer is the checked address.
          lookup: (_hostname, options, cb) =>
            options?.all ? cb(null, [{ address, family }]) : cb(null, address, family),
        },
      });
      agents.set(key, agent);
    }
    return agent;
  };
  const send = (url: URL, address: string, init: RequestInit) =>
    undici.fetch(url.href, { ...init, dispatcher: agentFor(url.hostname, address) });
  return Object.assign(send, {
    async close() {
      const all = [...agents.values()];
      agents.clear();
      await Promise.all(all.map((a) => a.close()));
    },
  });
}
