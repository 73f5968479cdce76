// Messages on the bus are JSON (UTF-8) checked against their schema on both sides: a sender
// cannot put out what a receiver would refuse, and a receiver hands its handler only a value
// that passed, or rejects the message whole with the failing fields named. Fields a schema does
// not name are let through (that is how a contract grows without breaking older receivers).
import { Kind } from '@sinclair/typebox';
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TypeCheck } from '@sinclair/typebox/compiler';
import { ContractError, ContractErrorCode } from './errors.js';
import type { FieldError } from './errors.js';
import { ErrorReply } from './schemas/common.js';

/** At most this many fields are named in one error. */
const MAX_FIELD_ERRORS = 10;

/** Compiled checks, memoized per schema object (schemas are immutable module constants). */
const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = checks.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    checks.set(schema, check);
  }
  return check as TypeCheck<T>;
}

/**
 * For a union of objects told apart by a literal `type` (DeviceEvent), the variant the value
 * names: its errors say which field is wrong rather than "expected union value".
 */
function variantFor(schema: TSchema, value: unknown): TSchema | undefined {
  if (schema[Kind] !== 'Union' || typeof value !== 'object' || value === null) return undefined;
  const type = (value as Record<string, unknown>)['type'];
  const variants = (schema as unknown as { anyOf: TSchema[] }).anyOf;
  return variants.find((v) => v['properties']?.['type']?.['const'] === type);
}

function fieldErrors(schema: TSchema, value: unknown): FieldError[] {
  const target = variantFor(schema, value) ?? schema;
  const errors: FieldError[] = [];
  for (const error of checkFor(target).Errors(value)) {
    // One reason per field (a missing one is also "not a string"), the first TypeBox gives.
    if (errors.some((e) => e.path === error.path)) continue;
    // Only the path and TypeBox's text: never the value (it may be a token or a password).
    errors.push({ path: error.path, message: error.message });
    if (errors.length >= MAX_FIELD_ERRORS) break;
  }
  return errors;
}

function invalid(why: string, errors: FieldError[], subject: string | undefined): ContractError {
  const where = subject === undefined ? '' : ` on ${subject}`;
  const fields = errors.map((e) => `${e.path || '(message)'}: ${e.message}`).join('; ');
  return new ContractError(ContractErrorCode.InvalidMessage, `${why}${where}: ${fields}`, {
    errors,
    ...(subject === undefined ? {} : { subject }),
  });
}

export interface CodecOptions {
  /** Named in the error, for the receiver's log. */
  readonly subject?: string;
}

/** The value when it passes its schema; INVALID_MESSAGE naming the failing fields otherwise. */
export function checkMessage<T extends TSchema>(
  schema: T,
  value: unknown,
  options: CodecOptions = {},
): Static<T> {
  if (checkFor(schema).Check(value)) return value;
  throw invalid('invalid message', fieldErrors(schema, value), options.subject);
}

function parseJson(data: Uint8Array | string, options: CodecOptions): unknown {
  const text =
    typeof data === 'string'
      ? data
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid('invalid message', [{ path: '', message: 'not JSON' }], options.subject);
  }
}

/** Bytes (or text) off the bus → the typed value, or INVALID_MESSAGE. */
export function decodeMessage<T extends TSchema>(
  schema: T,
  data: Uint8Array | string,
  options: CodecOptions = {},
): Static<T> {
  return checkMessage(schema, parseJson(data, options), options);
}

export type Reply<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ErrorReply['error'] };

/**
 * A reply off the bus: the receiver's `ErrorReply` (a failure it reports in the bus's
 * vocabulary) or the expected reply; anything else is INVALID_MESSAGE.
 */
export function decodeReply<T extends TSchema>(
  schema: T,
  data: Uint8Array | string,
  options: CodecOptions = {},
): Reply<Static<T>> {
  const value = parseJson(data, options);
  if (typeof value === 'object' && value !== null && 'error' in value) {
    if (checkFor(ErrorReply).Check(value)) return { ok: false, error: value.error };
  }
  return { ok: true, value: checkMessage(schema, value, options) };
}

/** The typed value → JSON bytes; a value that fails its schema is never sent (INVALID_MESSAGE). */
export function encodeMessage<T extends TSchema>(
  schema: T,
  value: Static<T>,
  options: CodecOptions = {},
): Uint8Array {
  checkMessage(schema, value, options);
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export interface MessageHandlers<T, R> {
  /** Called only with a value that passed its schema. */
  readonly handle: (value: T, subject: string | undefined) => R;
  /** Called instead, with the reason, when the message failed (for the receiver's log). */
  readonly reject: (error: ContractError) => void;
}

/**
 * A receiver's entry point: decode, then either `handle` the whole valid value or `reject` the
 * message with its reason — never both, never a half-processed message.
 */
export function acceptMessages<T extends TSchema, R>(
  schema: T,
  handlers: MessageHandlers<Static<T>, R>,
): (data: Uint8Array | string, subject?: string) => R | undefined {
  return (data, subject) => {
    let value: Static<T>;
    try {
      value = decodeMessage(schema, data, subject === undefined ? {} : { subject });
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      handlers.reject(error);
      return undefined;
    }
    return handlers.handle(value, subject);
  };
}
