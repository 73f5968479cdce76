// createTransactionLayer()'s options: defaults beside the schema, validated once (a bad value
// throws naming the key), the result frozen.
import type { Clock } from '../clock.js';
import type { Transport, TransportProtocol } from '../transport/types.js';
import { TransactionError } from './errors.js';
import type { SentBy, TransactionLayerOptions, TransactionLog } from './types.js';

export const transactionDefaults = {
  // RFC 3261 Appendix A: "T1 500ms default", "T2 4s", "T4 5s".
  t1Ms: 500,
  t2Ms: 4_000,
  t4Ms: 5_000,
  // RFC 3261 §17.2.1: "unless it knows that the TU will generate a provisional or final
  // response within 200 ms".
  tryingMs: 200,
  maxTransactions: 100_000,
} as const;

export interface ResolvedTransactionOptions {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly t1Ms: number;
  readonly t2Ms: number;
  readonly t4Ms: number;
  readonly tryingMs: number;
  readonly maxTransactions: number;
  readonly sentBy: (protocol: TransportProtocol) => SentBy | undefined;
  readonly log: TransactionLog;
}

const silentLog: TransactionLog = { debug() {}, warn() {} };

function check(key: string, value: number, ok: boolean, expected: string): void {
  if (!ok) throw new TransactionError('BAD_OPTIONS', `${key} must be ${expected}, got ${value}`);
}

/** Our listener for the protocol, when it has a concrete address (a wildcard names no host). */
function sentByFromListeners(transport: Transport): (p: TransportProtocol) => SentBy | undefined {
  return (protocol) => {
    const listener = transport
      .listening()
      .find((l) => l.protocol === protocol && l.address !== '0.0.0.0' && l.address !== '::');
    return listener ? { host: listener.address, port: listener.port } : undefined;
  };
}

export function resolveTransactionOptions(
  options: TransactionLayerOptions,
): ResolvedTransactionOptions {
  const t1Ms = options.t1Ms ?? transactionDefaults.t1Ms;
  const t2Ms = options.t2Ms ?? transactionDefaults.t2Ms;
  const t4Ms = options.t4Ms ?? transactionDefaults.t4Ms;
  const tryingMs = options.tryingMs ?? transactionDefaults.tryingMs;
  const maxTransactions = options.maxTransactions ?? transactionDefaults.maxTransactions;
  check('t1Ms', t1Ms, Number.isFinite(t1Ms) && t1Ms > 0, 'a number > 0');
  check('t2Ms', t2Ms, Number.isFinite(t2Ms) && t2Ms >= t1Ms, 'a number >= t1Ms');
  check('t4Ms', t4Ms, Number.isFinite(t4Ms) && t4Ms > 0, 'a number > 0');
  check('tryingMs', tryingMs, Number.isFinite(tryingMs) && tryingMs >= 0, 'a number >= 0');
  check(
    'maxTransactions',
    maxTransactions,
    Number.isInteger(maxTransactions) && maxTransactions > 0,
    'an integer > 0',
  );
  return Object.freeze({
    transport: options.transport,
    clock: options.clock,
    t1Ms,
    t2Ms,
    t4Ms,
    tryingMs,
    maxTransactions,
    sentBy: options.sentBy ?? sentByFromListeners(options.transport),
    log: options.log ?? silentLog,
  });
}
