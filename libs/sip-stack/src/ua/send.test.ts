import { createRequest, createResponse, type SipRequest } from '@sipwake/sip-parser';
import { createUaPair, type UaPair } from '../test-support/ua-pair.js';
import { createDigestClient } from '../digest/client.js';
import type { ServerTransaction } from '../transaction/types.js';
import { sendRequestWithAuth } from './send.js';

const CHALLENGE = (nonce: string, stale = false): [string, string] => [
  'WWW-Authenticate',
  `Digest realm="example.test", nonce="${nonce}", qop="auth", algorithm=MD5${stale ? ', stale=true' : ''}`,
];

function options(): SipRequest {
  return createRequest({
    method: 'OPTIONS',
    uri: 'sip:example.test',
    headers: [
      ['Max-Forwards', '70'],
      ['From', '<sip:alice@example.test>;tag=a1'],
      ['To', '<sip:example.test>'],
      ['Call-ID', 'auth-test@near'],
      ['CSeq', '7 OPTIONS'],
    ],
  });
}

describe('sendRequestWithAuth', () => {
  let pair: UaPair;
  const seen: SipRequest[] = [];
  let answer: (tx: ServerTransaction, n: number) => void;

  beforeEach(async () => {
    pair = await createUaPair();
    seen.length = 0;
    pair.far.layer.onRequest((tx) => {
      seen.push(tx.request);
      answer(tx, seen.length);
    });
  });
  afterEach(() => pair.stop());

  const digest = () =>
    createDigestClient({ credentials: { username: 'alice', password: 'secret' } });

  it('answers a 401 with CSeq+1, a new branch and credentials, and resolves with the 200', async () => {
    answer = (tx, n) =>
      tx.respond(
        n === 1
          ? createResponse(tx.request, 401, 'Unauthorized', { headers: [CHALLENGE('n1')] })
          : createResponse(tx.request, 200, 'OK'),
      );
    const exchange = await sendRequestWithAuth(pair.near.layer, options(), pair.far.target, {
      digest: digest(),
    });
    expect(exchange.response.status).toBe(200);
    expect(seen.map((r) => r.cseq().seq)).toEqual([7, 8]);
    expect(seen[0]!.callId()).toBe(seen[1]!.callId());
    expect(seen[0]!.from().tag).toBe(seen[1]!.from().tag);
    expect(seen[1]!.topVia().branch).not.toBe(seen[0]!.topVia().branch);
    expect(seen[0]!.headers.has('authorization')).toBe(false);
    const [credentials] = seen[1]!.authorization();
    expect(credentials?.params).toMatchObject({
      username: 'alice',
      realm: 'example.test',
      nonce: 'n1',
    });
    expect(exchange.request.cseq().seq).toBe(8);
  });

  it('gives up with UNAUTHORIZED when challenged again, not stale, after its credentials', async () => {
    answer = (tx) =>
      tx.respond(createResponse(tx.request, 401, 'Unauthorized', { headers: [CHALLENGE('n1')] }));
    await expect(
      sendRequestWithAuth(pair.near.layer, options(), pair.far.target, { digest: digest() }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(seen).toHaveLength(2);
  });

  it('retries once more on stale=true', async () => {
    answer = (tx, n) =>
      tx.respond(
        n === 1
          ? createResponse(tx.request, 401, 'Unauthorized', { headers: [CHALLENGE('n1')] })
          : n === 2
            ? createResponse(tx.request, 401, 'Unauthorized', { headers: [CHALLENGE('n2', true)] })
            : createResponse(tx.request, 200, 'OK'),
      );
    const exchange = await sendRequestWithAuth(pair.near.layer, options(), pair.far.target, {
      digest: digest(),
    });
    expect(exchange.response.status).toBe(200);
    expect(seen.map((r) => r.cseq().seq)).toEqual([7, 8, 9]);
    expect(seen[2]!.authorization()[0]?.params['nonce']).toBe('n2');
  });

  it('fails with UNAUTHORIZED on a challenge when it has no credentials', async () => {
    answer = (tx) => tx.respond(createResponse(tx.request, 407, 'Proxy Authentication Required'));
    await expect(
      sendRequestWithAuth(pair.near.layer, options(), pair.far.target),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 407 });
  });

  it('signs the next request with the nonce it holds (no new challenge round)', async () => {
    const client = digest();
    answer = (tx, n) =>
      tx.respond(
        n === 1
          ? createResponse(tx.request, 401, 'Unauthorized', { headers: [CHALLENGE('n1')] })
          : createResponse(tx.request, 200, 'OK'),
      );
    await sendRequestWithAuth(pair.near.layer, options(), pair.far.target, { digest: client });
    await sendRequestWithAuth(pair.near.layer, options(), pair.far.target, { digest: client });
    expect(seen).toHaveLength(3);
    expect(seen[2]!.authorization()[0]?.params).toMatchObject({ nonce: 'n1', nc: '00000002' });
  });

  it('resolves with a non-challenge failure for the caller to judge', async () => {
    answer = (tx) => tx.respond(createResponse(tx.request, 503, 'Service Unavailable'));
    const exchange = await sendRequestWithAuth(pair.near.layer, options(), pair.far.target, {
      digest: digest(),
    });
    expect(exchange.response.status).toBe(503);
  });

  it('fails with TIMEOUT when Timer F fires', async () => {
    answer = () => undefined;
    const sent = sendRequestWithAuth(pair.near.layer, options(), pair.far.target);
    const outcome = expect(sent).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true });
    await pair.settle();
    await pair.advance(64 * 500);
    await outcome;
  });
});
