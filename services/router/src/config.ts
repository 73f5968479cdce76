// The router's settings, read by the sipwake process through @sipwake/config (SIPWAKE_* variables or YAML),
// validated once and frozen; `settingsOf` turns them into the flat `RouterSettings` it runs on.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { parseListen } from './listen.js';
import type { RouterSettings } from './settings.js';

const ms = (defaultMs: number, description: string, minimum = 1) =>
  Type.Integer({ minimum, default: defaultMs, description });

export const configSchema = Type.Object({
  router: Type.Object({
    id: Type.String({
      pattern: '^([A-Za-z0-9_-]{1,64})?$',
      default: '',
      description: 'unique router id (a subject token); empty = `router-<host name>-<pid>`',
    }),
  }),
  sip: Type.Object({
    listen: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      default: ['udp:127.0.0.1:5060', 'tcp:127.0.0.1:5060'],
      description:
        'SIP listeners, `protocol:address:port` (udp, tcp, tls, ws, wss; `[::]` for IPv6)',
    }),
    idleTimeoutMs: ms(300_000, 'a stream connection with no traffic this long is closed'),
    maxMessageBytes: Type.Integer({
      minimum: 1024,
      maximum: 262_144,
      default: 65_535,
      description: 'largest SIP message taken or sent',
    }),
    maxConnections: Type.Integer({
      minimum: 1,
      default: 10_000,
      description: 'stream connections open at once, accepted and opened',
    }),
    udpReceiveBufferBytes: Type.Integer({
      minimum: 65_536,
      default: 4_194_304,
      description:
        'receive buffer of each UDP listener (the kernel caps it at net.core.rmem_max: raise that too)',
    }),
  }),
  tls: Type.Object({
    certFile: Type.String({
      default: '',
      description: 'PEM certificate file for `tls`/`wss` listeners',
    }),
    keyFile: Type.String({ default: '', description: 'PEM private key file for the certificate' }),
  }),
  forward: Type.Object({
    timeoutMs: ms(2_000, "bound for a shard's ack of an out-of-dialog request"),
    retryAfterS: Type.Integer({
      minimum: 0,
      default: 5,
      description: 'Retry-After of the 503 sent when no shard (or this router is stopping)',
    }),
  }),
  shutdown: Type.Object({
    graceMs: ms(1_000, 'on stop: time new requests get 503 before the listeners close', 0),
  }),
});
export type RouterConfigFile = Static<typeof configSchema>;

/** The flat settings of a config; `routerId` and the TLS material come from service.ts. */
export function settingsOf(
  config: RouterConfigFile,
  routerId: string,
  tls?: RouterSettings['tls'],
): RouterSettings {
  return Object.freeze({
    routerId,
    listen: Object.freeze(
      config.sip.listen.map((text, i) => parseListen(text, `sip.listen[${i}]`)),
    ),
    ...(tls === undefined ? {} : { tls }),
    idleTimeoutMs: config.sip.idleTimeoutMs,
    maxMessageBytes: config.sip.maxMessageBytes,
    maxConnections: config.sip.maxConnections,
    udpReceiveBufferBytes: config.sip.udpReceiveBufferBytes,
    forwardTimeoutMs: config.forward.timeoutMs,
    retryAfterS: config.forward.retryAfterS,
    stopGraceMs: config.shutdown.graceMs,
  });
}
