// The calls side wired to the harness's agent layer as agent.ts wires it, plus a caller that
// sends INVITEs by hand and devices that register on the device side.
import { createRequest } from '@sipwake/sip-parser';
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import { createDigestClient, createRegistration, minimalSdp } from '@sipwake/sip-stack';
import type { ClientTransaction, Registration, UserAgent } from '@sipwake/sip-stack';
import type { CallSide } from '../../ports.js';
import { createCallSide, type CallSideExtras } from '../call-side.js';
import type { Endpoint, Harness } from './harness.js';

export const ACCOUNT = {
  username: 'alice',
  authUsername: 'alice-auth',
  domain: 'example.test',
  password: 'wonderland',
};

export function wireCallSide(h: Harness, extras: Partial<CallSideExtras> = {}): CallSide {
  const side = createCallSide({
    layer: h.agent.layer,
    directory: h.directory,
    push: h.push,
    clock: h.clock,
    log: h.log,
    config: h.config,
    nonceSecret: Buffer.alloc(32, 7),
    callRecorder: { record: (r) => void h.records.push(r) },
    ...extras,
  });
  h.agent.layer.onRequest((tx) => side.handleRequest(tx));
  h.agent.layer.onCancel((cancel, invite) => side.handleCancel(cancel, invite));
  h.agent.layer.onStrayAck((inbound, invite) => side.handleStrayAck(inbound, invite));
  h.agent.layer.onStrayResponse((inbound) => side.handleStrayResponse(inbound));
  return side;
}

export interface SentInvite {
  readonly request: SipRequest;
  readonly tx: ClientTransaction;
  readonly provisionals: SipResponse[];
  readonly finals: SipResponse[];
  /** The X-Sipwake-Push-Status of each 180 so far. */
  statuses(): (string | undefined)[];
}

let calls = 0;

/** An INVITE from the caller endpoint to `sip:<selector>@agent`, with its responses collected. */
export function sendInvite(caller: Endpoint, h: Harness, selector: string): SentInvite {
  calls++;
  const request = createRequest({
    method: 'INVITE',
    uri: `sip:${selector}@127.0.0.1:${h.agent.port}`,
    headers: [
      ['Max-Forwards', '70'],
      ['From', `"Bob Caller" <sip:bob@example.test>;tag=caller-${calls}`],
      ['To', `<sip:${selector}@example.test>`],
      ['Call-ID', `call-${calls}@example.test`],
      ['CSeq', '1 INVITE'],
      ['Contact', `<sip:bob@127.0.0.1:${caller.port}>`],
      ['Content-Type', 'application/sdp'],
    ],
    body: minimalSdp('127.0.0.1', 4000, 1),
  });
  const provisionals: SipResponse[] = [];
  const finals: SipResponse[] = [];
  const tx = caller.layer.sendRequest(request, h.agent.target, {
    provisional: (r) => provisionals.push(r),
    final: (r) => finals.push(r),
  });
  return {
    request,
    tx,
    provisionals,
    finals,
    statuses: () =>
      provisionals
        .filter((r) => r.status === 180)
        .map((r) => r.headers.get('x-sipwake-push-status')),
  };
}

export interface RegisteredDevice extends Endpoint {
  readonly ua: UserAgent;
  readonly registration: Registration;
}

/** A device endpoint that registers on the device side (its REGISTER is awaited by the caller). */
export async function deviceEndpoint(
  h: Harness,
  port: number,
  user: string,
  selector: string,
  contactParams = '',
): Promise<RegisteredDevice> {
  const ep = await h.endpoint(port, user);
  const registration = createRegistration({
    layer: ep.layer,
    target: h.agent.target,
    registrar: 'sip:sip.sipwake.test',
    aor: `sip:${selector}@sip.sipwake.test`,
    contact: `sip:${user}@127.0.0.1:${port}${contactParams}`,
    digest: createDigestClient({
      credentials: { username: ACCOUNT.authUsername, password: ACCOUNT.password },
    }),
  });
  return { ...ep, registration };
}
