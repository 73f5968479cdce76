import { parseUri } from '@sipwake/sip-parser';
import { literalTarget } from './target.js';

describe('literalTarget', () => {
  it.each([
    ['sip:bob@127.0.0.1', { protocol: 'udp', address: '127.0.0.1', port: 5060 }],
    ['sip:bob@127.0.0.1:5070;transport=TCP', { protocol: 'tcp', address: '127.0.0.1', port: 5070 }],
    ['sips:bob@[::1]', { protocol: 'tls', address: '::1', port: 5061 }],
    ['sip:127.0.0.1:8080;transport=ws', { protocol: 'ws', address: '127.0.0.1', port: 8080 }],
  ])('%s', (uri, target) => {
    expect(literalTarget(parseUri(uri))).toEqual(target);
  });

  it('refuses a host name (a resolver is needed) and an unknown transport', () => {
    expect(() => literalTarget(parseUri('sip:bob@example.test'))).toThrow(/not an IP address/);
    expect(() => literalTarget(parseUri('sip:bob@127.0.0.1;transport=sctp'))).toThrow(
      /unsupported transport/,
    );
  });
});
