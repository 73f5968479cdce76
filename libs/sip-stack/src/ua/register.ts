// A registration client for one binding (RFC 3261 §10.2): REGISTERs with one Call-ID and an
// increasing CSeq, digest authentication, and the expiry the registrar granted read back from
// the 200.
import {
  createRequest,
  parseUri,
  type Contact,
  type SipRequest,
  type SipResponse,
  type SipUri,
} from '@sipwake/sip-parser';
import type { DigestClient } from '../digest/client.js';
import type { TransactionLayer } from '../transaction/types.js';
import type { SendTarget } from '../transport/types.js';
import { UaError } from './errors.js';
import { newCallId, newTag } from './ids.js';
import { sendRequestWithAuth } from './send.js';

export interface RegistrationOptions {
  readonly layer: TransactionLayer;
  /** Where REGISTERs go: the registrar or an outbound proxy. */
  readonly target: SendTarget;
  /** §10.2: the Request-URI "names the domain of the location service", e.g. `sip:example.test`. */
  readonly registrar: string;
  /** The address-of-record (To and From), e.g. `sip:alice@example.test`. */
  readonly aor: string;
  /** Our contact URI, e.g. `sip:alice@127.0.0.1:5070;transport=tcp`. */
  readonly contact: string;
  /** Contact header parameters after `expires`, e.g. `;+sip.instance="<urn:uuid:…>"`. */
  readonly contactParams?: string;
  readonly digest?: DigestClient;
  /** Expiry asked for when register() is given none (default 3600 s). */
  readonly expiresS?: number;
  /** Continue an existing binding: its Call-ID and the CSeq last used (DESIGN.md: a restarted shard). */
  readonly callId?: string;
  readonly lastCseq?: number;
  /** Extra header fields on every REGISTER (User-Agent, Supported, …). */
  readonly headers?: readonly (readonly [string, string])[];
}

export interface RegisterResult {
  /** Seconds granted to our contact: its `expires` in the 200, else the Expires header (0 once removed). */
  readonly expiresS: number;
  /** Every binding of the AoR the registrar listed. */
  readonly contacts: readonly Contact[];
  readonly request: SipRequest;
  readonly response: SipResponse;
}

export interface Registration {
  readonly callId: string;
  /** The CSeq of the last REGISTER sent. */
  cseq(): number;
  /**
   * Adds or refreshes the binding. Rejects with UaError UNAUTHORIZED (credentials refused),
   * REJECTED (another final non-2xx; `error.response` carries Min-Expires, Retry-After),
   * TIMEOUT or TRANSPORT_FAILED. Calls are queued, never overlapped.
   */
  register(expiresS?: number): Promise<RegisterResult>;
  /** RFC 3261 §10.2.2: removes our binding (`expires=0`). */
  unregister(): Promise<RegisterResult>;
}

export function createRegistration(options: RegistrationOptions): Registration {
  const callId = options.callId ?? newCallId();
  const fromTag = newTag();
  const ourContact = parseUri(options.contact);
  let lastCseq = options.lastCseq ?? 0;
  let queue: Promise<unknown> = Promise.resolve();

  const once = async (expiresS: number): Promise<RegisterResult> => {
    const request = createRequest({
      method: 'REGISTER',
      uri: options.registrar,
      headers: [
        ['Max-Forwards', '70'],
        ['From', `<${options.aor}>;tag=${fromTag}`],
        ['To', `<${options.aor}>`],
        // §10.2.4: "A UA SHOULD use the same Call-ID for all registrations during a single
        // boot cycle"; §10.2: CSeq "MUST increment by one for each REGISTER request with the
        // same Call-ID".
        ['Call-ID', callId],
        ['CSeq', `${lastCseq + 1} REGISTER`],
        ['Contact', `<${options.contact}>;expires=${expiresS}${options.contactParams ?? ''}`],
        ['Expires', String(expiresS)],
        ...(options.headers ?? []),
      ],
    });
    lastCseq += 1;
    try {
      const exchange = await sendRequestWithAuth(options.layer, request, options.target, {
        digest: options.digest,
      });
      lastCseq = exchange.request.cseq().seq;
      const { response } = exchange;
      if (response.status < 200 || response.status >= 300) {
        throw new UaError('REJECTED', `REGISTER refused: ${response.status} ${response.reason}`, {
          response,
        });
      }
      const contacts = response.contacts();
      const listed = contacts === '*' ? [] : contacts;
      return {
        expiresS: grantedExpiry(listed, ourContact, response, expiresS),
        contacts: listed,
        request: exchange.request,
        response,
      };
    } catch (error) {
      // The retries inside used CSeq numbers too: the next REGISTER must go above them.
      if (error instanceof UaError && error.response)
        lastCseq = Math.max(lastCseq, error.response.cseq().seq);
      throw error;
    }
  };

  const register = (expiresS = options.expiresS ?? 3600): Promise<RegisterResult> => {
    const run = queue.then(
      () => once(expiresS),
      () => once(expiresS),
    );
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    callId,
    cseq: () => lastCseq,
    register,
    unregister: () => register(0),
  };
}

/**
 * RFC 3261 §10.2.4: "The response SHOULD include a Contact header field value enumerating all
 * current bindings. [...] each [...] with an "expires" parameter indicating its expiration
 * interval chosen by the registrar." Our contact's value wins; else the Expires header; else
 * (a registrar that lists nothing) 0 when we removed it and the asked value otherwise.
 */
function grantedExpiry(
  contacts: readonly Contact[],
  ours: SipUri,
  response: SipResponse,
  asked: number,
): number {
  const mine = contacts.find((c) => sameUri(c.uri, ours));
  if (mine) return mine.expires ?? response.expires() ?? asked;
  if (asked === 0) return 0;
  return response.expires() ?? asked;
}

/** RFC 3261 §19.1.4, enough for contacts: scheme, user, host (case-insensitive), port, transport. */
export function sameUri(a: SipUri, b: SipUri): boolean {
  const transport = (u: SipUri): string => (u.params['transport'] ?? '').toLowerCase();
  return (
    a.scheme === b.scheme &&
    a.user === b.user &&
    a.host.toLowerCase() === b.host.toLowerCase() &&
    a.port === b.port &&
    transport(a) === transport(b)
  );
}
