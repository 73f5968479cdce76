// Between nats.js and the bus's words, in one place: the client's errors as BusError codes,
// headers both ways, and a received message as a BusMessage read lazily.
import { ErrorCode, NatsError, headers as natsHeaders, type Msg, type MsgHdrs } from 'nats';
import { BusError, BusErrorCode } from './errors.js';
import { noHeaders } from './headers.js';
import type { Bus, BusHeaders, BusMessage, RespondOptions } from './types.js';

/** The client's error, in the bus's words. */
export function toBusError(cause: unknown, subject?: string): BusError {
  if (cause instanceof BusError) return cause;
  const where = subject === undefined ? {} : { subject };
  const code = cause instanceof NatsError ? cause.code : undefined;
  const on = subject === undefined ? '' : ` on ${subject}`;
  switch (code) {
    case ErrorCode.NoResponders:
      return new BusError(BusErrorCode.NoResponders, `no responders${on}`, { ...where, cause });
    case ErrorCode.Timeout:
      return new BusError(BusErrorCode.Timeout, `no reply${on} in time`, { ...where, cause });
    case ErrorCode.ConnectionClosed:
    case ErrorCode.ConnectionDraining:
      return new BusError(BusErrorCode.Closed, `the bus is closed (${code})`, { ...where, cause });
    case ErrorCode.MaxPayloadExceeded:
      return new BusError(BusErrorCode.PayloadTooLarge, `payload too large${on}`, {
        ...where,
        cause,
      });
    case ErrorCode.BadSubject:
      return new BusError(BusErrorCode.BadSubject, `bad subject${on}`, { ...where, cause });
    case ErrorCode.BadHeader:
      return new BusError(BusErrorCode.BadHeader, `bad header${on}`, { ...where, cause });
    default: {
      const reason = cause instanceof Error ? cause.message : String(cause);
      return new BusError(BusErrorCode.TransportFailed, `NATS failed${on}: ${reason}`, {
        ...where,
        cause,
      });
    }
  }
}

export function toNatsHeaders(headers: BusHeaders): MsgHdrs | undefined {
  const keys = Object.keys(headers);
  if (keys.length === 0) return undefined;
  const h = natsHeaders();
  for (const key of keys) h.set(key, headers[key]!);
  return h;
}

export function fromNatsHeaders(h: MsgHdrs | undefined): BusHeaders {
  if (h === undefined) return noHeaders;
  const out: Record<string, string> = {};
  for (const key of h.keys()) out[key] = h.get(key);
  return Object.freeze(out);
}

/** A received message: its fields read from the client's message only when asked for. */
export class NatsMessage implements BusMessage {
  private decodedHeaders: BusHeaders | undefined;

  constructor(
    private readonly msg: Msg,
    private readonly bus: Bus,
  ) {}

  get subject(): string {
    return this.msg.subject;
  }

  get data(): Uint8Array {
    return this.msg.data;
  }

  get headers(): BusHeaders {
    this.decodedHeaders ??= fromNatsHeaders(this.msg.headers);
    return this.decodedHeaders;
  }

  get reply(): string | undefined {
    const reply = this.msg.reply;
    return reply === undefined || reply === '' ? undefined : reply;
  }

  respond(data: Uint8Array, options: RespondOptions = {}): boolean {
    const reply = this.reply;
    if (reply === undefined) return false;
    this.bus.publish(reply, data, { headers: options.headers ?? noHeaders });
    return true;
  }
}
