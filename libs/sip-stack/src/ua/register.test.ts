import { createResponse, type SipRequest } from '@sipwake/sip-parser';
import { createDigestClient } from '../digest/client.js';
import { createUaPair, type UaPair } from '../test-support/ua-pair.js';
import type { ServerTransaction } from '../transaction/types.js';
import { createRegistration, type Registration, type RegistrationOptions } from './register.js';

const CHALLENGE: [string, string] = [
  'WWW-Authenticate',
  'Digest realm="example.test", nonce="n1", qop="auth"',
];

describe('createRegistration', () => {
  let pair: UaPair;
  let seen: SipRequest[];
  let answer: (tx: ServerTransaction) => void;
  let registration: Registration;

  /** A registrar that challenges a REGISTER without credentials and grants min(asked, 600). */
  const registrar = (tx: ServerTransaction): void => {
    const request = tx.request;
    if (!request.headers.has('authorization')) {
      tx.respond(createResponse(request, 401, 'Unauthorized', { headers: [CHALLENGE] }));
      return;
    }
    const asked = request.expires() ?? 3600;
    const contact = request.headers.get('contact')!.replace(/;expires=\d+/, '');
    tx.respond(
      createResponse(request, 200, 'OK', {
        headers:
          asked === 0
            ? []
            : [
                ['Contact', '<sip:alice@192.0.2.9:5060>;expires=77'],
                ['Contact', `${contact};expires=${Math.min(asked, 600)}`],
              ],
      }),
    );
  };

  beforeEach(async () => {
    pair = await createUaPair();
    seen = [];
    answer = registrar;
    pair.far.layer.onRequest((tx) => {
      seen.push(tx.request);
      answer(tx);
    });
    registration = aliceRegistration();
  });
  afterEach(() => pair.stop());

  /** alice@example.test registering from the near side at the far side, with her password. */
  const aliceRegistration = (extra: Partial<RegistrationOptions> = {}): Registration =>
    createRegistration({
      layer: pair.near.layer,
      target: pair.far.target,
      registrar: 'sip:example.test',
      aor: 'sip:alice@example.test',
      contact: `sip:alice@127.0.0.1:${pair.near.port}`,
      digest: createDigestClient({ credentials: { username: 'alice', password: 'secret' } }),
      ...extra,
    });

  it('registers through a challenge and reads the granted expiry from its own Contact', async () => {
    const result = await registration.register(3600);
    expect(result.expiresS).toBe(600);
    expect(result.contacts).toHaveLength(2);
    expect(seen.map((r) => r.cseq().seq)).toEqual([1, 2]);
    expect(registration.cseq()).toBe(2);
    const first = seen[0]!;
    expect(first.uri).toBe('sip:example.test');
    expect(first.to().uriText).toBe('sip:alice@example.test');
    expect(first.from().uriText).toBe('sip:alice@example.test');
    expect(first.headers.get('contact')).toBe(
      `<sip:alice@127.0.0.1:${pair.near.port}>;expires=3600`,
    );
    expect(first.expires()).toBe(3600);
  });

  it('refreshes with the same Call-ID and the next CSeq, signed with the nonce it holds', async () => {
    await registration.register(120);
    const refreshed = await registration.register(120);
    expect(refreshed.expiresS).toBe(120);
    expect(seen.map((r) => r.cseq().seq)).toEqual([1, 2, 3]);
    expect(new Set(seen.map((r) => r.callId()))).toEqual(new Set([registration.callId]));
    expect(new Set(seen.map((r) => r.from().tag)).size).toBe(1);
  });

  it('removes the binding with expires=0 and reports 0', async () => {
    await registration.register(120);
    const removed = await registration.unregister();
    expect(removed.expiresS).toBe(0);
    expect(seen.at(-1)!.headers.get('contact')).toMatch(/;expires=0$/);
  });

  it('queues overlapping calls instead of mixing their CSeqs', async () => {
    const [a, b] = await Promise.all([registration.register(60), registration.register(90)]);
    expect([a.expiresS, b.expiresS]).toEqual([60, 90]);
    expect(seen.map((r) => r.cseq().seq)).toEqual([1, 2, 3]);
  });

  it('reports UNAUTHORIZED when the registrar refuses the credentials', async () => {
    answer = (tx) =>
      tx.respond(createResponse(tx.request, 401, 'Unauthorized', { headers: [CHALLENGE] }));
    await expect(registration.register()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
    });
    // The next attempt goes above every CSeq used so far.
    answer = registrar;
    await registration.register();
    expect(seen.at(-1)!.cseq().seq).toBeGreaterThan(2);
  });

  it('reports REJECTED with the response for a 423 (Min-Expires for the caller)', async () => {
    answer = (tx) =>
      tx.respond(
        createResponse(tx.request, 423, 'Interval Too Brief', {
          headers: [['Min-Expires', '300']],
        }),
      );
    const failure = registration.register(10);
    await expect(failure).rejects.toMatchObject({ code: 'REJECTED', status: 423 });
    const error = await failure.catch((e: { response: { minExpires(): number } }) => e);
    expect(error.response.minExpires()).toBe(300);
  });

  it('continues an existing binding from a stored Call-ID and CSeq', async () => {
    const resumed = aliceRegistration({ callId: 'kept@shard-1', lastCseq: 41 });
    await resumed.register(60);
    expect(seen.map((r) => `${r.callId()} ${r.cseq().seq}`)).toEqual([
      'kept@shard-1 42',
      'kept@shard-1 43',
    ]);
  });
});
