// One request as a promise: a client transaction whose first final response settles it. And the
// same with digest authentication: a 401/407 is answered and the request re-sent (RFC 3261
// §22.2, §8.1.3.5), until a final response that is no challenge, or until the credentials are
// refused.
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import type { DigestAnswer, DigestClient } from '../digest/client.js';
import { DigestError } from '../digest/errors.js';
import { TransactionError } from '../transaction/errors.js';
import type { ClientTransaction, TransactionLayer } from '../transaction/types.js';
import type { SendTarget } from '../transport/types.js';
import { UaError, type UaErrorCode } from './errors.js';
import { nextAttempt, setCredentials } from './requests.js';

export interface Exchange {
  /** The request as sent (the last attempt, with the Via the layer added). */
  readonly request: SipRequest;
  /** Its final response. */
  readonly response: SipResponse;
  readonly transaction: ClientTransaction;
}

export interface SendOptions {
  /** Each provisional response. */
  readonly onProvisional?: (response: SipResponse) => void;
  /**
   * INVITE only: each 2xx after the first one (RFC 6026 §7.2: retransmissions, or the answers
   * of other forks). The UAC core ACKs every one of them.
   */
  readonly onLate2xx?: (response: SipResponse, request: SipRequest) => void;
}

/** Sends `request` in a new client transaction; settles on its first final response. */
export function sendRequest(
  layer: TransactionLayer,
  request: SipRequest,
  target: SendTarget,
  options: SendOptions = {},
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      reject(toUaError(error));
    };
    try {
      layer.sendRequest(request, target, {
        provisional: (response) => options.onProvisional?.(response),
        final: (response, transaction) => {
          if (!settled) {
            settled = true;
            resolve({ request: transaction.request, response, transaction });
          } else if (response.status >= 200 && response.status < 300) {
            options.onLate2xx?.(response, transaction.request);
          }
        },
        timeout: (error) => fail(error),
        transportError: (error) => fail(error),
        terminated: (event) => {
          if (!settled) {
            fail(event.error ?? new UaError('STOPPED', `transaction ended: ${event.reason}`));
          }
        },
      });
    } catch (error) {
      fail(error);
    }
  });
}

export interface AuthOptions extends SendOptions {
  /** Answers challenges; without it a 401/407 fails the request with UNAUTHORIZED. */
  readonly digest?: DigestClient;
  /** Sign the first attempt with the nonces the digest client holds (default true). */
  readonly preemptive?: boolean;
  /** Attempts in all, the first one included (default 3). */
  readonly maxAttempts?: number;
}

/**
 * Sends `request`, answering 401/407 with the digest client: each new attempt is a copy with
 * CSeq+1, a new branch and the credentials. Resolves with the first final response that is not
 * a challenge (2xx or not: the caller decides); rejects with UNAUTHORIZED when a realm
 * challenges again, not stale, after our credentials (RFC 7616 §3.3: "the username and/or
 * password are invalid"), or when the challenge cannot be answered.
 */
export async function sendRequestWithAuth(
  layer: TransactionLayer,
  request: SipRequest,
  target: SendTarget,
  options: AuthOptions = {},
): Promise<Exchange> {
  const { digest } = options;
  const maxAttempts = options.maxAttempts ?? 3;
  let previous: DigestAnswer[] = [];
  let current = request;
  if (digest && (options.preemptive ?? true) && !hasCredentials(request)) {
    previous = digest.authorize({ method: request.method, uri: request.uri, body: request.body });
    if (previous.length > 0) setCredentials(current, previous);
  }
  for (let attempt = 1; ; attempt++) {
    const exchange = await sendRequest(layer, current, target, options);
    const { response } = exchange;
    if (response.status !== 401 && response.status !== 407) return exchange;
    if (!digest) {
      throw new UaError('UNAUTHORIZED', `${response.status} and no credentials to answer it`, {
        response,
      });
    }
    if (attempt >= maxAttempts) {
      throw new UaError('UNAUTHORIZED', `still challenged after ${attempt} attempts`, { response });
    }
    let answers: DigestAnswer[];
    try {
      answers = digest.answer({
        method: current.method,
        uri: current.uri,
        body: current.body,
        wwwAuthenticate: response.wwwAuthenticate(),
        proxyAuthenticate: response.proxyAuthenticate(),
        previous,
      });
    } catch (error) {
      if (!(error instanceof DigestError)) throw error;
      throw new UaError('UNAUTHORIZED', `${response.status}: ${error.message}`, {
        response,
        cause: error,
      });
    }
    previous = answers;
    current = nextAttempt(exchange.request, answers);
  }
}

function hasCredentials(request: SipRequest): boolean {
  return request.headers.has('authorization') || request.headers.has('proxy-authorization');
}

const FROM_TRANSACTION: Readonly<Record<string, UaErrorCode>> = {
  TRANSACTION_TIMEOUT: 'TIMEOUT',
  TRANSPORT_FAILED: 'TRANSPORT_FAILED',
  LAYER_STOPPED: 'STOPPED',
};

function toUaError(error: unknown): UaError {
  if (error instanceof UaError) return error;
  if (error instanceof TransactionError) {
    return new UaError(FROM_TRANSACTION[error.code] ?? 'BAD_REQUEST', error.message, {
      cause: error,
    });
  }
  return new UaError('BAD_REQUEST', error instanceof Error ? error.message : String(error), {
    cause: error,
  });
}
