// The app's own registration at the user's registrar, as a softphone in the foreground holds it
// (mode takeover): a sip-stack REGISTER with the account's digest credentials from its own UDP
// socket, straight to Kamailio — not through sipwake.
import {
  createDigestClient,
  createRegistration,
  createTransactionLayer,
  createTransport,
  systemClock,
} from '@sipwake/sip-stack';
import type { Account } from './device.js';

export interface AppRegistration {
  /** The contact the app registered. */
  readonly contact: string;
  /** Removes the binding (expires=0) and closes the socket. */
  stop(): Promise<void>;
}

export async function registerApp(
  account: Account,
  registrarPort: number,
  expiresS = 120,
): Promise<AppRegistration> {
  const clock = systemClock();
  const transport = createTransport({
    listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
    clock,
    idleTimeoutMs: 60_000,
    keepAliveIntervalMs: 0,
    maxMessageBytes: 65_535,
  });
  await transport.start();
  const layer = createTransactionLayer({ transport, clock });
  const contact = `sip:${account.username}-app@127.0.0.1:${transport.listening()[0]!.port}`;
  const registration = createRegistration({
    layer,
    target: { protocol: 'udp', address: '127.0.0.1', port: registrarPort },
    registrar: `sip:${account.domain}`,
    aor: `sip:${account.username}@${account.domain}`,
    contact,
    digest: createDigestClient({
      credentials: { username: account.username, password: account.password },
    }),
  });
  const close = async (): Promise<void> => {
    layer.stop();
    await transport.stop();
  };
  try {
    const result = await registration.register(expiresS);
    if (result.expiresS <= 0) throw new Error("the registrar did not keep the app's binding");
  } catch (error) {
    await close();
    throw error;
  }
  return {
    contact,
    async stop() {
      await registration.unregister().catch(() => undefined);
      await close();
    },
  };
}
