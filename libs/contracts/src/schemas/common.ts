// The pieces every message schema is built from.
import { Type } from '@sinclair/typebox';
import type { Static, TLiteral, TNull, TSchema, TUnion } from '@sinclair/typebox';

/** One of the values of an `as const` object (`OneOf(InstanceState)`). */
export function OneOf<T extends Record<string, string>>(values: T): TUnion<TLiteral<T[keyof T]>[]> {
  return Type.Union(Object.values(values).map((v) => Type.Literal(v))) as TUnion<
    TLiteral<T[keyof T]>[]
  >;
}

export function Nullable<T extends TSchema>(schema: T): TUnion<[T, TNull]> {
  return Type.Union([schema, Type.Null()]);
}

export const Selector = Type.String({ pattern: '^[0-9a-f]{40}$' });
/** `HEX/BITS` or `HEX` as text; the receiver parses it with `parsePrefix` for its meaning. */
export const PrefixText = Type.String({ pattern: '^[0-9a-fA-F]{1,40}(/[0-9]{1,3})?$' });
/** A shard's unique name: one subject token. */
export const ShardName = Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' });
/** A router's id: one subject token. */
export const RouterId = ShardName;
/** Milliseconds since 1970-01-01T00:00:00Z. */
export const EpochMs = Type.Integer({ minimum: 0 });
/** A row version: it only grows, so a receiver can drop what is older than what it has. */
export const Version = Type.Integer({ minimum: 0 });
/** An opaque id (device id, Call-ID, batch id, connection id). */
export const Id = Type.String({ minLength: 1, maxLength: 256 });
/** Standard base64 (RFC 4648 §4) of a whole SIP message: up to 256 KiB of octets. */
export const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 349_528 });

export const TransportProtocol = Type.Union([
  Type.Literal('udp'),
  Type.Literal('tcp'),
  Type.Literal('tls'),
  Type.Literal('ws'),
  Type.Literal('wss'),
]);

/** An IPv4 or IPv6 literal (no brackets) and a port. */
export const Endpoint = Type.Object({
  address: Type.String({ minLength: 1, maxLength: 64 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
});

/** The reply of a request that failed at its receiver: the bus's vocabulary for an error. */
export const ErrorReply = Type.Object({
  error: Type.Object({
    code: Type.String({ minLength: 1, maxLength: 64 }),
    message: Type.String({ maxLength: 1024 }),
    retryable: Type.Boolean(),
  }),
});
export type ErrorReply = Static<typeof ErrorReply>;
