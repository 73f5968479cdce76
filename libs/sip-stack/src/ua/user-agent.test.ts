import { createRequest, type SipResponse, type SipRequest } from '@sipwake/sip-parser';
import { createCalleePair, type UaPair } from '../test-support/ua-pair.js';
import { createUasResponse } from './respond.js';
import type { IncomingCall } from './uas-invite.js';
import type { UserAgent } from './user-agent.js';

/** A request from the far side outside any dialog (no To tag unless given). */
function outside(pair: UaPair, method: string, callId: string, toTag?: string): SipRequest {
  return createRequest({
    method,
    uri: `sip:bob@127.0.0.1:${pair.near.port}`,
    headers: [
      ['Max-Forwards', '70'],
      ['From', '<sip:alice@127.0.0.1>;tag=caller1'],
      ['To', `<sip:bob@127.0.0.1:${pair.near.port}>${toTag === undefined ? '' : `;tag=${toTag}`}`],
      ['Call-ID', callId],
      ['CSeq', `1 ${method}`],
      ['Contact', `<sip:alice@127.0.0.1:${pair.far.port}>`],
    ],
  });
}

/** Every response the near side sent, as [status, To tag]. */
function sentTags(pair: UaPair): [number, string | undefined][] {
  return pair
    .sentBy(pair.near.port)
    .flatMap((m): [number, string | undefined][] =>
      m.type === 'response' ? [[m.status, m.to().tag]] : [],
    );
}

describe('the UA core adds a To tag to every response but 100 (RFC 3261 §8.2.6.2)', () => {
  let pair: UaPair;
  let ua: UserAgent;
  let calls: IncomingCall[];

  beforeEach(async () => ({ pair, ua, calls } = await createCalleePair()));
  afterEach(() => pair.stop());

  /** Sends a request from the far side; resolves with its final response. */
  const exchange = async (request: SipRequest): Promise<SipResponse> => {
    let final: SipResponse | undefined;
    pair.far.layer.sendRequest(request, pair.near.target, { final: (r) => (final = r) });
    await pair.settle();
    if (!final) throw new Error(`no final response to ${request.method}`);
    return final;
  };

  it('answers OPTIONS 200 and an unknown method 405, each with a To tag and Allow', async () => {
    const options = await exchange(outside(pair, 'OPTIONS', 'ua-options'));
    const message = await exchange(outside(pair, 'MESSAGE', 'ua-message'));
    expect([options.status, message.status]).toEqual([200, 405]);
    for (const response of [options, message]) {
      expect(response.to().tag).toMatch(/^[0-9a-f]{16}$/);
      expect(response.headers.get('allow')).toBe('INVITE, ACK, CANCEL, BYE, OPTIONS');
    }
    expect(options.to().tag).not.toBe(message.to().tag);
  });

  it('answers 481 to a request for an unknown dialog with the To tag it carried', async () => {
    const response = await exchange(outside(pair, 'BYE', 'ua-unknown-dialog', 'theirs'));
    expect(response.status).toBe(481);
    expect(response.to().tag).toBe('theirs');
  });

  it('answers 503 with a To tag once stopped', async () => {
    ua.stop();
    const response = await exchange(outside(pair, 'OPTIONS', 'ua-stopped'));
    expect(response.status).toBe(503);
    expect(response.to().tag).toMatch(/^[0-9a-f]{16}$/);
  });

  it('answers 480 with a To tag when no INVITE handler is set', async () => {
    pair.userAgent('alice', 'far');
    let final: SipResponse | undefined;
    const invite = outside(pair, 'INVITE', 'ua-no-handler');
    invite.uri = `sip:alice@127.0.0.1:${pair.far.port}`;
    pair.near.layer.sendRequest(invite, pair.far.target, { final: (r) => (final = r) });
    await pair.settle();
    expect(final?.status).toBe(480);
    expect(final?.to().tag).toMatch(/^[0-9a-f]{16}$/);
  });

  it('keeps the 180 tag in the 487 after CANCEL, and gives the 200 to the CANCEL the same tag', async () => {
    const tx = pair.far.layer.sendRequest(outside(pair, 'INVITE', 'ua-cancel'), pair.near.target);
    await pair.settle();
    const call = calls[0]!;
    call.progress(100);
    call.progress(180);
    await pair.settle();
    pair.far.layer.sendCancel(tx);
    await pair.settle();
    expect(sentTags(pair)).toEqual(
      expect.arrayContaining([
        [100, undefined],
        [180, call.toTag],
        [200, call.toTag],
        [487, call.toTag],
      ]),
    );
    expect(sentTags(pair).every(([status, tag]) => status === 100 || tag === call.toTag)).toBe(
      true,
    );
  });

  it('answers requests in a dialog (500 out of order, 501 without a handler) with the dialog tag', async () => {
    pair.far.layer.sendRequest(outside(pair, 'INVITE', 'ua-dialog'), pair.near.target);
    await pair.settle();
    const call = calls[0]!;
    const answered = call.answer();
    await pair.settle();
    const inDialog = (method: string, seq: number): SipRequest => {
      const request = outside(pair, method, 'ua-dialog', call.toTag);
      request.headers.set('cseq', `${seq} ${method}`);
      return request;
    };
    await pair.far.layer.sendStateless(inDialog('ACK', 1), pair.near.target);
    await answered;
    const info = await exchange(inDialog('INFO', 5));
    const stale = await exchange(inDialog('INFO', 3));
    expect([info.status, stale.status]).toEqual([501, 500]);
    expect([info.to().tag, stale.to().tag]).toEqual([call.toTag, call.toTag]);
  });
});

describe('the UA core refuses what it cannot serve (RFC 3261 §8.2.1–§8.2.2)', () => {
  let pair: UaPair;

  beforeEach(async () => ({ pair } = await createCalleePair()));
  afterEach(() => pair.stop());

  const exchange = async (request: SipRequest): Promise<SipResponse> => {
    let final: SipResponse | undefined;
    pair.far.layer.sendRequest(request, pair.near.target, { final: (r) => (final = r) });
    await pair.settle();
    if (!final) throw new Error(`no final response to ${request.method}`);
    return final;
  };

  it('answers 420 with Unsupported to a Require it does not support', async () => {
    const request = outside(pair, 'OPTIONS', 'ua-require');
    request.headers.append('Require', 'foo, 100rel');
    const response = await exchange(request);
    expect(response.status).toBe(420);
    expect(response.headers.get('unsupported')).toBe('foo, 100rel');
    expect(response.to().tag).toBeDefined();
  });

  it('answers 416 to a Request-URI scheme it does not serve', async () => {
    const request = outside(pair, 'OPTIONS', 'ua-scheme');
    request.uri = 'im:bob@example.com';
    expect((await exchange(request)).status).toBe(416);
  });

  it('answers 400 to a Request-URI that only a full parse finds malformed', async () => {
    const request = outside(pair, 'OPTIONS', 'ua-bad-uri');
    request.uri = 'sip:bob@127.0.0.1;a=b=c';
    expect((await exchange(request)).status).toBe(400);
  });
});

describe('createUasResponse', () => {
  const request = createRequest({
    method: 'OPTIONS',
    uri: 'sip:bob@127.0.0.1',
    headers: [
      ['Via', 'SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-r1'],
      ['From', '<sip:alice@127.0.0.1>;tag=a'],
      ['To', '<sip:bob@127.0.0.1>'],
      ['Call-ID', 'respond-1'],
      ['CSeq', '1 OPTIONS'],
    ],
  });

  it('adds a new tag, or the one given, to every status but 100', () => {
    expect(createUasResponse(request, 100).to().tag).toBeUndefined();
    expect(createUasResponse(request, 183).to().tag).toMatch(/^[0-9a-f]{16}$/);
    expect(createUasResponse(request, 486, undefined, { toTag: 'mine' }).to().tag).toBe('mine');
  });

  it('keeps the tag of a request that has one', () => {
    request.headers.set('to', '<sip:bob@127.0.0.1>;tag=theirs');
    expect(createUasResponse(request, 200, 'OK', { toTag: 'mine' }).to().tag).toBe('theirs');
  });
});
