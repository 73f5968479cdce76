import { createRequest, createResponse, parseMessage, serializeMessage } from '@sipwake/sip-parser';
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import { bestResponse, forwardRequest, relayedResponse, stripOwnRoute } from './proxy.js';
import { nextHop } from './next-hop.js';

const selector = 'a'.repeat(40);

const request = (headers: [string, string][] = []): SipRequest =>
  createRequest({
    method: 'INVITE',
    uri: `sip:${selector}@router.test`,
    headers: [
      ['Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKup'],
      ['From', '<sip:bob@example.test>;tag=1'],
      ['To', `<sip:${selector}@example.test>`],
      ['Call-ID', 'c1'],
      ['CSeq', '1 INVITE'],
      ...headers,
    ],
  });

const reparse = (r: SipRequest | SipResponse) =>
  parseMessage(serializeMessage(r), { datagram: true });

describe('proxy message work', () => {
  it('forwards a copy with our Via, a Record-Route, a new Request-URI and Max-Forwards less one', () => {
    const original = request([['Max-Forwards', '10']]);
    const copy = forwardRequest(original, {
      selector,
      requestUri: 'sip:phone@10.0.0.2:5090',
      recordRoute: '<sip:router.test;lr;sw=x>',
      protocol: 'tcp',
      via: { host: 'router.test', port: 5060 },
    });
    const parsed = reparse(copy) as SipRequest;
    expect(parsed.uri).toBe('sip:phone@10.0.0.2:5090');
    expect(parsed.maxForwards()).toBe(9);
    expect(parsed.via().map((v) => v.host)).toEqual(['router.test', '192.0.2.1']);
    expect(parsed.topVia().transport).toBe('TCP');
    expect(parsed.recordRoute()[0]!.uriText).toBe('sip:router.test;lr;sw=x');
    // The original is left as it was.
    expect(original.via()).toHaveLength(1);
    expect(original.maxForwards()).toBe(10);
  });

  it('adds Max-Forwards 70 when the request has none', () => {
    const copy = forwardRequest(request(), {
      selector,
      protocol: 'udp',
      via: { host: 'r', port: 1 },
    });
    expect(copy.maxForwards()).toBe(70);
  });

  it('removes only a top Route that carries our selector', () => {
    const ours = request([
      ['Route', `<sip:router.test;lr;sw=${selector}>, <sip:proxy.example.test;lr>`],
    ]);
    expect(stripOwnRoute(ours, selector)).toBe(true);
    expect(
      reparse(ours)
        .route()
        .map((r) => r.uriText),
    ).toEqual(['sip:proxy.example.test;lr']);
    const theirs = request([['Route', '<sip:proxy.example.test;lr>']]);
    expect(stripOwnRoute(theirs, selector)).toBe(false);
    expect(theirs.route()).toHaveLength(1);
  });

  it('passes a response back without our Via, and keeps one meant for us', () => {
    const r = createResponse(
      createRequest({
        method: 'INVITE',
        uri: 'sip:x@y',
        headers: [
          [
            'Via',
            'SIP/2.0/UDP router.test;branch=z9hG4bKours, SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKup',
          ],
          ['From', '<sip:a@b>;tag=1'],
          ['To', '<sip:x@y>'],
          ['Call-ID', 'c'],
          ['CSeq', '1 INVITE'],
        ],
      }),
      180,
    );
    const relayed = relayedResponse(r);
    expect(relayed!.via().map((v) => v.host)).toEqual(['192.0.2.1']);
    expect(relayedResponse(relayed!)).toBeUndefined();
  });

  it('chooses a 6xx first, else the lowest class, and never passes a 503 on', () => {
    const mk = (status: number) => createResponse(request(), status);
    expect(bestResponse([mk(486), mk(603), mk(500)])!.status).toBe(603);
    expect(bestResponse([mk(500), mk(486)])!.status).toBe(486);
    expect(bestResponse([mk(503)])!.status).toBe(500);
    expect(bestResponse([])).toBeUndefined();
  });

  it('routes in a dialog by the next Route or the Request-URI when it is an IP literal', () => {
    const known = {
      protocol: 'udp' as const,
      address: '192.0.2.9',
      port: 5060,
      connectionId: 'c-1',
    };
    const viaRoute = request([['Route', '<sip:192.0.2.7:5070;transport=tcp;lr>']]);
    expect(nextHop(viaRoute, known)).toEqual({ protocol: 'tcp', address: '192.0.2.7', port: 5070 });
    const byName = request([['Route', '<sip:proxy.example.test;lr>']]);
    expect(nextHop(byName, known)).toBe(known);
    const same = createRequest({ method: 'BYE', uri: 'sip:bob@192.0.2.9:5060', headers: [] });
    expect(nextHop(same, known)).toBe(known);
  });
});
