// The phone: a hand-over through the API, and — once woken — a sip-stack user agent on a real
// UDP socket that registers on sipwake's device side with the account's credentials and
// answers the INVITE sipwake forks to it.
import {
  createDigestClient,
  createRegistration,
  createTransactionLayer,
  createTransport,
  createUserAgent,
  minimalSdp,
  systemClock,
  type Dialog,
  type Registration,
  type TransactionLayer,
  type Transport,
  type UserAgent,
} from '@sipwake/sip-stack';
import { APP_ID } from './system.js';

export interface Account {
  readonly username: string;
  readonly domain: string;
  readonly password: string;
  readonly registrar: string;
}

export interface HandOver {
  readonly selector: string;
  readonly instanceToken: string;
  readonly sipHost: string;
}

export async function handOver(
  apiUrl: string,
  account: Account,
  device: { readonly id: string; readonly token: string },
  mode: 'always' | 'takeover' = 'always',
): Promise<HandOver> {
  const response = await fetch(`${apiUrl}/instances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      account: { ...account, expiresSeconds: 60 },
      mode,
      device: {
        id: device.id,
        appId: APP_ID,
        platform: 'ios',
        pushProvider: 'apns',
        token: device.token,
        topic: APP_ID,
      },
    }),
  });
  const body = (await response.json()) as HandOver & { message?: string };
  if (response.status !== 201) throw new Error(`hand-over: ${response.status} ${body.message}`);
  return body;
}

export interface Phone {
  /** Registers on the device side: `sip:<selector>@<router>` with digest. */
  register(): Promise<void>;
  /** Resolves with the dialog of the first INVITE it is sent, which it answers 200. */
  readonly answered: Promise<Dialog>;
  stop(): Promise<void>;
}

export async function startPhone(
  account: Account,
  selector: string,
  routerPort: number,
): Promise<Phone> {
  const clock = systemClock();
  const transport: Transport = createTransport({
    listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
    clock,
    idleTimeoutMs: 60_000,
    keepAliveIntervalMs: 0,
    maxMessageBytes: 65_535,
  });
  await transport.start();
  const port = transport.listening()[0]!.port;
  const layer: TransactionLayer = createTransactionLayer({ transport, clock });
  const ua: UserAgent = createUserAgent({ layer, clock, contact: `sip:phone@127.0.0.1:${port}` });
  const answered = new Promise<Dialog>((resolve, reject) =>
    ua.onInvite((call) => {
      call.progress();
      call.answer({ sdp: minimalSdp('127.0.0.1', 40000, 1) }).then(resolve, reject);
    }),
  );
  const registration: Registration = createRegistration({
    layer,
    target: { protocol: 'udp', address: '127.0.0.1', port: routerPort },
    registrar: `sip:${selector}@127.0.0.1:${routerPort}`,
    aor: `sip:${selector}@127.0.0.1`,
    contact: `sip:phone@127.0.0.1:${port}`,
    digest: createDigestClient({
      credentials: { username: account.username, password: account.password },
    }),
  });
  return {
    answered,
    async register() {
      // Rejects (UaError) unless the registrar, in realm DEVICE_REALM, answers 200.
      const result = await registration.register(60);
      if (result.expiresS <= 0) throw new Error('the device-side binding was not granted');
    },
    async stop() {
      ua.stop();
      layer.stop();
      await transport.stop();
    },
  };
}
