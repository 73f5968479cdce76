// The device-side registrar: a woken app REGISTERs to `sip:<selector>@<host>` with digest auth
// (the agent's realm, the account's own credentials). Bindings live a short time, are keyed by
// `+sip.instance` (else the contact URI), remember the flow the REGISTER came on, and name the
// device their RFC 8599 push parameters point at; a push token the device does not hold yet
// becomes its token (`device-tokens.ts`). `Expires: 0` removes; the 200 lists them all.
import { isSelector } from '@sipwake/contracts';
import type { Contact, SipRequest } from '@sipwake/sip-parser';
import { createUasResponse } from '@sipwake/sip-stack';
import type { ServerTransaction } from '@sipwake/sip-stack';
import type { AgentClock, AgentInstance, CallSideLog, DeviceBinding } from '../ports.js';
import type { DeviceBindings } from './bindings.js';
import { bindingKey, contactPush, matchDevice } from './contact-key.js';
import type { DeviceTokens } from './device-tokens.js';
import type { DigestServers } from './digest-servers.js';

export interface DeviceRegistrarOptions {
  readonly bindings: DeviceBindings;
  readonly digests: DigestServers;
  /** Takes new push data a contact names (RFC 8599 `pn-prid`). */
  readonly tokens: DeviceTokens;
  readonly directory: { get(selector: string): AgentInstance | undefined };
  readonly clock: AgentClock;
  readonly log: CallSideLog;
  /** The longest binding granted, seconds (an awake app refreshes; a sleeping one is pushed). */
  readonly maxExpiresS: number;
  /** The expiry when the REGISTER names none, seconds. */
  readonly defaultExpiresS: number;
}

export interface DeviceRegistrar {
  /** Answers one REGISTER server transaction. Never rejects. */
  handle(tx: ServerTransaction): Promise<void>;
}

type Headers = readonly (readonly [string, string])[];

/** The selector a REGISTER names: the To URI's user part (the AoR `sip:<selector>@<host>`). */
export function registerSelector(request: SipRequest): string | undefined {
  try {
    const user = request.to().uri.user?.toLowerCase();
    return user !== undefined && isSelector(user) ? user : undefined;
  } catch {
    return undefined;
  }
}

export function createDeviceRegistrar(options: DeviceRegistrarOptions): DeviceRegistrar {
  const { bindings, digests, directory, tokens, clock, log } = options;

  const respond = (tx: ServerTransaction, status: number, reason?: string, headers?: Headers) => {
    tx.respond(createUasResponse(tx.request, status, reason, headers ? { headers } : {}));
  };

  /** The granted seconds for one contact: its own expires, else the header's, capped. */
  const grantedS = (contact: Contact, request: SipRequest): number => {
    const asked = contact.expires ?? request.expires() ?? options.defaultExpiresS;
    return Math.min(Math.max(0, asked), options.maxExpiresS);
  };

  const contactList = (selector: string): Headers => {
    const now = clock.now();
    return bindings.live(selector).map((b) => {
      const left = Math.max(1, Math.ceil((b.expiresAtMs - now) / 1000));
      return ['Contact', `<${b.contact}>;expires=${left}`] as const;
    });
  };

  const apply = (
    tx: ServerTransaction,
    instance: AgentInstance,
    contacts: readonly Contact[],
  ): void => {
    const { request, flow } = tx;
    const selector = instance.selector;
    for (const contact of contacts) {
      const key = bindingKey(contact);
      const expiresS = grantedS(contact, request);
      if (expiresS === 0) {
        bindings.remove(selector, key);
        continue;
      }
      const push = contactPush(contact);
      // The directory's devices now: an earlier contact of this REGISTER may have changed one.
      const device = matchDevice((directory.get(selector) ?? instance).devices, push);
      if (push && device) tokens.refresh(selector, device, push);
      const binding: DeviceBinding = {
        key,
        deviceId: device?.deviceId ?? null,
        contact: contact.uriText,
        target: {
          protocol: flow.protocol,
          address: flow.remote.address,
          port: flow.remote.port,
          ...(flow.connectionId === undefined ? {} : { connectionId: flow.connectionId }),
        },
        expiresAtMs: clock.now() + expiresS * 1000,
      };
      bindings.put(selector, binding);
      log.debug({ selector, deviceId: binding.deviceId, expiresS }, 'device binding recorded');
    }
  };

  const handle = async (tx: ServerTransaction): Promise<void> => {
    const { request } = tx;
    const selector = registerSelector(request);
    const instance = selector === undefined ? undefined : directory.get(selector);
    if (selector === undefined || instance === undefined) {
      respond(tx, 404, 'Not Found');
      return;
    }
    const verdict = await digests.serverFor(selector).verify({
      method: request.method,
      uri: request.uri,
      body: request.body,
      authorization: request.authorization(),
    });
    if (!verdict.ok) {
      // A wrong password or user is refused outright; a first try or a stale nonce is challenged.
      if (verdict.reason === 'bad-response' || verdict.reason === 'unknown-user') {
        log.info({ selector, reason: verdict.reason }, 'device REGISTER refused');
        respond(tx, 403, 'Forbidden');
        return;
      }
      const { status, header, values } = verdict.challenge;
      respond(
        tx,
        status,
        undefined,
        values.map((v) => [header, v] as const),
      );
      return;
    }
    const contacts = request.contacts();
    if (contacts === '*') {
      // RFC 3261 §10.3 step 6: "*" only with Expires 0, and then every binding goes.
      if (request.expires() !== 0) {
        respond(tx, 400, 'Invalid Wildcard');
        return;
      }
      for (const b of bindings.live(selector)) bindings.remove(selector, b.key);
    } else {
      apply(tx, instance, contacts);
    }
    const info = verdict.authenticationInfo;
    respond(tx, 200, 'OK', [
      ...contactList(selector),
      ...(info === undefined ? [] : [['Authentication-Info', info] as const]),
    ]);
  };

  return {
    async handle(tx) {
      try {
        await handle(tx);
      } catch (error) {
        // A header that does not parse, or a password that cannot be opened: nothing recorded.
        const parse = error instanceof Error && error.name === 'SipParseError';
        log.warn(
          { err: error instanceof Error ? error.name : 'unknown' },
          'device REGISTER failed',
        );
        respond(tx, parse ? 400 : 500, parse ? 'Bad Request' : 'Server Internal Error');
      }
    },
  };
}
