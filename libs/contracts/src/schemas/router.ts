// What agents ask routers to send, on `sw.router.<id>.sip` or `sw.router.sip`.
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Base64, Id, Nullable, RouterId, Selector, TransportProtocol } from './common.js';

export const RouterSend = Type.Object({
  /** The octets to send, base64. */
  message: Base64,
  target: Type.Object({
    protocol: TransportProtocol,
    /** An IP literal or a host name the router resolves. */
    address: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
  }),
  /** Send on this stream connection (the device's own), not a new one. */
  connectionId: Type.Optional(Id),
  /** For the router's logs and spans. */
  selector: Type.Optional(Selector),
});
export type RouterSend = Static<typeof RouterSend>;

export const RouterSendResult = Type.Object({
  status: Type.Union([Type.Literal('sent'), Type.Literal('failed')]),
  /** The connection the message left on (stream transports). */
  connectionId: Nullable(Id),
  /** The router that sent it (a later send on `connectionId` must go to that router). */
  routerId: Type.Optional(RouterId),
  /** Why it failed: the transport's error code (`CONNECT_FAILED`, …) and text. */
  error: Type.Optional(
    Type.Object({
      code: Type.String({ minLength: 1, maxLength: 64 }),
      message: Type.String({ maxLength: 1024 }),
    }),
  ),
});
export type RouterSendResult = Static<typeof RouterSendResult>;
