// One digest server per instance on the device side: the realm is the agent's, the secret the
// instance account's own credentials (auth username + the opened password). A server per
// instance keeps each one's nonce-count tracking apart; the set is bounded (oldest dropped).
import { createDigestServer } from '@sipwake/sip-stack';
import type { Clock, DigestServer } from '@sipwake/sip-stack';
import type { InstanceDirectory } from '../ports.js';

export interface DigestServersOptions {
  readonly directory: InstanceDirectory;
  readonly clock: Clock;
  readonly realm: string;
  /** Binds the nonces this agent mints to it (at least 16 bytes). */
  readonly nonceSecret: Buffer;
  /** Instances with a digest server at once (default 10,000). */
  readonly maxServers?: number;
}

export interface DigestServers {
  serverFor(selector: string): DigestServer;
}

export function createDigestServers(options: DigestServersOptions): DigestServers {
  const { directory, clock, realm, nonceSecret } = options;
  const maxServers = options.maxServers ?? 10_000;
  const servers = new Map<string, DigestServer>();

  const build = (selector: string): DigestServer =>
    createDigestServer({
      realm,
      secret: nonceSecret,
      clock,
      maxTrackedNonces: 32,
      // The password is opened here, for this one check, and not kept.
      lookup: async (username) => {
        const instance = directory.get(selector);
        if (!instance || instance.account.authUsername !== username) return undefined;
        return { password: instance.credentials().password };
      },
    });

  return {
    serverFor(selector) {
      let server = servers.get(selector);
      if (server) {
        // Most recently used last: the first key is the one to drop.
        servers.delete(selector);
      } else {
        server = build(selector);
        if (servers.size >= maxServers) {
          const oldest = servers.keys().next().value;
          if (oldest !== undefined) servers.delete(oldest);
        }
      }
      servers.set(selector, server);
      return server;
    },
  };
}
