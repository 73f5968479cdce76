import type { TransportProtocol } from '../transport/types.js';
import { createFakeResolver, type FakeZone } from '../test-support/fake-dns-resolver.js';
import { DnsError, LocateError } from './errors.js';
import { createServerLocator } from './locator.js';
import type { AddressFamily, NaptrRecord, SrvRecord } from './types.js';
import type { LocatableUri } from './uri-plan.js';

const ALL: readonly TransportProtocol[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

function uri(
  host: string,
  options: { scheme?: 'sip' | 'sips'; port?: number; params?: Record<string, string | null> } = {},
): LocatableUri {
  return {
    scheme: options.scheme ?? 'sip',
    host,
    port: options.port,
    params: options.params ?? {},
  };
}

function naptr(
  order: number,
  preference: number,
  service: string,
  replacement: string,
): NaptrRecord {
  return { order, preference, flags: 's', service, regexp: '', replacement };
}

function srv(priority: number, weight: number, port: number, name: string): SrvRecord {
  return { priority, weight, port, name };
}

/** One domain with everything: NAPTR for TLS, TCP, UDP, SCTP and WS, and their SRV records. */
const FULL: FakeZone = {
  'example.com': {
    NAPTR: [
      naptr(50, 50, 'SIP+D2U', '_sip._udp.example.com'),
      naptr(50, 10, 'SIP+D2T', '_sip._tcp.example.com'),
      naptr(10, 50, 'SIPS+D2T', '_sips._tcp.example.com.'),
      naptr(5, 50, 'SIP+D2S', '_sip._sctp.example.com'),
      naptr(60, 50, 'SIP+D2W', '_sip._ws.example.com'),
    ],
    A: ['198.51.100.99'],
  },
  '_sips._tcp.example.com': { SRV: [srv(10, 0, 5061, 'tls.example.com')] },
  '_sip._tcp.example.com': { SRV: [srv(10, 0, 5060, 'tcp.example.com')] },
  '_sip._udp.example.com': { SRV: [srv(10, 0, 5060, 'udp.example.com')] },
  '_sip._ws.example.com': { SRV: [srv(10, 0, 8080, 'ws.example.com')] },
  'tls.example.com': { A: ['192.0.2.1'], AAAA: ['2001:db8::1'] },
  'tcp.example.com': { A: ['192.0.2.2'] },
  'udp.example.com': { A: ['192.0.2.3'] },
  'ws.example.com': { A: ['192.0.2.4'] },
  // No NAPTR: SRV for each transport.
  'srv-only.net': { A: ['203.0.113.99'] },
  '_sips._tcp.srv-only.net': { SRV: [srv(1, 0, 5061, 'a.srv-only.net')] },
  '_sip._tcp.srv-only.net': { SRV: [srv(1, 0, 5070, 'a.srv-only.net')] },
  '_sip._udp.srv-only.net': { SRV: [srv(1, 0, 5080, 'b.srv-only.net')] },
  'a.srv-only.net': { A: ['203.0.113.1'] },
  'b.srv-only.net': { A: ['203.0.113.2'] },
  // Nothing but addresses.
  'plain.org': { A: ['198.51.100.1', '198.51.100.2'], AAAA: ['2001:db8:1::1'] },
  // The service is "decidedly not available" (RFC 2782).
  '_sip._tcp.closed.org': { SRV: [srv(0, 0, 0, '')] },
  '_sip._udp.closed.org': { SRV: [srv(0, 0, 0, '.')] },
  'closed.org': { A: ['198.51.100.50'] },
  'proxy.example.net': { A: ['192.0.2.77'] },
};

interface Case {
  readonly name: string;
  readonly uri: LocatableUri;
  readonly transports?: readonly TransportProtocol[];
  readonly families?: readonly AddressFamily[];
  /** `protocol address port` per target, in order. */
  readonly targets: readonly string[];
  /** The questions asked, when the case is about which lookups happen. */
  readonly questions?: readonly string[];
  readonly serverName?: string | undefined;
}

const cases: readonly Case[] = [
  {
    name: 'an IPv4 host: that address, UDP, port 5060, no DNS',
    uri: uri('192.0.2.9'),
    targets: ['udp 192.0.2.9 5060'],
    questions: [],
    serverName: undefined,
  },
  {
    name: 'an IPv4 host with port and transport=tcp',
    uri: uri('192.0.2.9', { port: 5080, params: { transport: 'tcp' } }),
    targets: ['tcp 192.0.2.9 5080'],
    questions: [],
  },
  {
    name: 'an IPv6 reference with port ([2001:db8::1]:5070)',
    uri: uri('[2001:db8::1]', { port: 5070 }),
    targets: ['udp 2001:db8::1 5070'],
    questions: [],
  },
  {
    name: 'a SIPS URI on an IP address: TLS on 5061',
    uri: uri('[2001:DB8::2]', { scheme: 'sips' }),
    targets: ['tls 2001:db8::2 5061'],
  },
  {
    name: 'transport=ws on an IP address: WebSocket on its default port',
    uri: uri('192.0.2.9', { params: { transport: 'ws' } }),
    targets: ['ws 192.0.2.9 80'],
  },
  {
    name: 'a SIPS URI with transport=ws: secure WebSocket',
    uri: uri('192.0.2.9', { scheme: 'sips', params: { transport: 'ws' } }),
    targets: ['wss 192.0.2.9 443'],
  },
  {
    name: 'a name with an explicit port: A/AAAA only, no NAPTR or SRV',
    uri: uri('plain.org', { port: 5099 }),
    targets: ['udp 2001:db8:1::1 5099', 'udp 198.51.100.1 5099', 'udp 198.51.100.2 5099'],
    questions: ['AAAA plain.org', 'A plain.org'],
    serverName: 'plain.org',
  },
  {
    name: 'a SIPS name with an explicit port: TLS to its addresses',
    uri: uri('plain.org', { scheme: 'sips', port: 5999 }),
    families: [4],
    targets: ['tls 198.51.100.1 5999', 'tls 198.51.100.2 5999'],
  },
  {
    name: 'transport=tcp: SRV _sip._tcp only, no NAPTR',
    uri: uri('example.com', { params: { transport: 'tcp' } }),
    targets: ['tcp 192.0.2.2 5060'],
    questions: ['SRV _sip._tcp.example.com', 'AAAA tcp.example.com', 'A tcp.example.com'],
  },
  {
    name: 'a SIPS URI with transport=tcp: SRV _sips._tcp, TLS',
    uri: uri('example.com', { scheme: 'sips', params: { transport: 'tcp' } }),
    families: [4],
    targets: ['tls 192.0.2.1 5061'],
    questions: ['SRV _sips._tcp.example.com', 'A tls.example.com'],
  },
  {
    name: 'transport=udp without SRV: A/AAAA of the name on 5060',
    uri: uri('plain.org', { params: { transport: 'udp' } }),
    families: [4],
    targets: ['udp 198.51.100.1 5060', 'udp 198.51.100.2 5060'],
    questions: ['SRV _sip._udp.plain.org', 'A plain.org'],
  },
  {
    name: 'NAPTR: supported services by order then preference; SCTP left out',
    uri: uri('example.com'),
    targets: [
      'tls 2001:db8::1 5061',
      'tls 192.0.2.1 5061',
      'tcp 192.0.2.2 5060',
      'udp 192.0.2.3 5060',
      'ws 192.0.2.4 8080',
    ],
    serverName: 'example.com',
  },
  {
    name: 'NAPTR: services of transports we lack are left out',
    uri: uri('example.com'),
    transports: ['udp'],
    families: [4],
    targets: ['udp 192.0.2.3 5060'],
    questions: ['NAPTR example.com', 'SRV _sip._udp.example.com', 'A udp.example.com'],
  },
  {
    name: 'NAPTR for a SIPS URI: only SIPS+D2X services',
    uri: uri('example.com', { scheme: 'sips' }),
    families: [4],
    targets: ['tls 192.0.2.1 5061'],
  },
  {
    name: 'no NAPTR: SRV _sips._tcp, _sip._tcp, _sip._udp in that order',
    uri: uri('srv-only.net'),
    transports: ['udp', 'tcp', 'tls'],
    targets: ['tls 203.0.113.1 5061', 'tcp 203.0.113.1 5070', 'udp 203.0.113.2 5080'],
  },
  {
    name: 'no NAPTR, SIPS URI: only _sips._tcp',
    uri: uri('srv-only.net', { scheme: 'sips' }),
    transports: ['udp', 'tcp', 'tls'],
    targets: ['tls 203.0.113.1 5061'],
    questions: [
      'NAPTR srv-only.net',
      'SRV _sips._tcp.srv-only.net',
      'AAAA a.srv-only.net',
      'A a.srv-only.net',
    ],
  },
  {
    name: 'no NAPTR, no SRV: A/AAAA on 5060 with UDP, AAAA first',
    uri: uri('plain.org'),
    targets: ['udp 2001:db8:1::1 5060', 'udp 198.51.100.1 5060', 'udp 198.51.100.2 5060'],
  },
  {
    name: 'no NAPTR, no SRV, A before AAAA when configured',
    uri: uri('plain.org'),
    families: [4, 6],
    targets: ['udp 198.51.100.1 5060', 'udp 198.51.100.2 5060', 'udp 2001:db8:1::1 5060'],
  },
  {
    name: 'no NAPTR, no SRV, SIPS URI: TLS on 5061',
    uri: uri('plain.org', { scheme: 'sips' }),
    families: [6],
    targets: ['tls 2001:db8:1::1 5061'],
  },
  {
    name: 'no NAPTR, no SRV, no UDP support: TCP',
    uri: uri('plain.org'),
    transports: ['tcp', 'tls'],
    families: [6],
    targets: ['tcp 2001:db8:1::1 5060'],
  },
  {
    name: 'an SRV target "." means no service: no A/AAAA fallback',
    uri: uri('closed.org', { params: { transport: 'tcp' } }),
    targets: [],
    questions: ['SRV _sip._tcp.closed.org'],
  },
  {
    name: 'SRV "." for every transport found: nothing to try',
    uri: uri('closed.org'),
    transports: ['udp', 'tcp'],
    targets: [],
  },
  {
    name: 'maddr (a name) overrides the host',
    uri: uri('example.com', { port: 5090, params: { maddr: 'proxy.example.net' } }),
    families: [4],
    targets: ['udp 192.0.2.77 5090'],
    questions: ['A proxy.example.net'],
    serverName: 'proxy.example.net',
  },
  {
    name: 'maddr (an IPv6 reference) overrides the host',
    uri: uri('example.com', { params: { maddr: '[2001:db8::99]', transport: 'tcp' } }),
    targets: ['tcp 2001:db8::99 5060'],
    questions: [],
  },
  {
    name: 'a name unknown to DNS: no targets',
    uri: uri('nowhere.invalid'),
    targets: [],
  },
];

describe('createServerLocator (RFC 3263 §4)', () => {
  it.each(cases)('$name', async (c) => {
    const resolver = createFakeResolver(FULL);
    const locator = createServerLocator({
      resolver,
      transports: c.transports ?? ALL,
      ...(c.families ? { families: c.families } : {}),
    });
    const targets = await locator.resolve(c.uri);
    expect(targets.map((t) => `${t.protocol} ${t.address} ${t.port}`)).toEqual(c.targets);
    if (c.questions) expect(resolver.questions).toEqual(c.questions);
    if ('serverName' in c) {
      for (const t of targets) expect(t.serverName).toBe(c.serverName);
    }
  });

  it.each([
    ['a tel: URI', { scheme: 'tel', host: '', port: undefined, params: {} }, 'LOCATE_BAD_URI'],
    ['a URI without host', uri(''), 'LOCATE_BAD_URI'],
    ['a port out of range', uri('192.0.2.1', { port: 70000 }), 'LOCATE_BAD_URI'],
    [
      'transport=sctp',
      uri('example.com', { params: { transport: 'sctp' } }),
      'LOCATE_UNSUPPORTED_TRANSPORT',
    ],
    [
      'SIPS over UDP',
      uri('example.com', { scheme: 'sips', params: { transport: 'udp' } }),
      'LOCATE_UNSUPPORTED_TRANSPORT',
    ],
  ] as const)('rejects %s with a typed error', async (_label, bad, code) => {
    const locator = createServerLocator({ resolver: createFakeResolver(FULL), transports: ALL });
    const error = await locator.resolve(bad as LocatableUri).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocateError);
    expect(error).toMatchObject({ code, retryable: false });
  });

  it('rejects transport=tls when the stack has no TLS', async () => {
    const locator = createServerLocator({
      resolver: createFakeResolver(FULL),
      transports: ['udp', 'tcp'],
    });
    await expect(
      locator.resolve(uri('example.com', { params: { transport: 'tls' } })),
    ).rejects.toMatchObject({
      code: 'LOCATE_UNSUPPORTED_TRANSPORT',
    });
  });

  it('passes over a failing NAPTR query and uses SRV', async () => {
    const zone: FakeZone = {
      ...FULL,
      'srv-only.net': { ...FULL['srv-only.net'], fail: { NAPTR: 'DNS_SERVER_FAILURE' } },
    };
    const locator = createServerLocator({
      resolver: createFakeResolver(zone),
      transports: ['udp'],
      families: [4],
    });
    expect(await locator.resolve(uri('srv-only.net'))).toEqual([
      { protocol: 'udp', address: '203.0.113.2', port: 5080, serverName: 'srv-only.net' },
    ]);
  });

  it('passes over a failing AAAA query and uses A', async () => {
    const zone: FakeZone = {
      ...FULL,
      'plain.org': { ...FULL['plain.org'], fail: { AAAA: 'DNS_TIMEOUT' } },
    };
    const locator = createServerLocator({
      resolver: createFakeResolver(zone),
      transports: ['udp'],
    });
    const targets = await locator.resolve(uri('plain.org', { port: 5060 }));
    expect(targets.map((t) => t.address)).toEqual(['198.51.100.1', '198.51.100.2']);
  });

  it('throws the DNS error when DNS failed and nothing was found', async () => {
    const zone: FakeZone = {
      'down.org': {
        fail: { NAPTR: 'DNS_TIMEOUT', SRV: 'DNS_TIMEOUT', A: 'DNS_TIMEOUT', AAAA: 'DNS_TIMEOUT' },
      },
    };
    const locator = createServerLocator({
      resolver: createFakeResolver(zone),
      transports: ['udp'],
    });
    const error = await locator.resolve(uri('down.org')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnsError);
    expect(error).toMatchObject({ code: 'DNS_TIMEOUT', hostname: 'down.org', rrtype: 'NAPTR' });
  });

  it('resolves the addresses of the next SRV target only when it is asked for', async () => {
    const zone: FakeZone = {
      '_sip._udp.lazy.org': {
        SRV: [srv(1, 0, 5060, 'first.lazy.org'), srv(2, 0, 5060, 'second.lazy.org')],
      },
      'first.lazy.org': { A: ['192.0.2.1'] },
      'second.lazy.org': { A: ['192.0.2.2'] },
    };
    const resolver = createFakeResolver(zone);
    const locator = createServerLocator({ resolver, transports: ['udp'], families: [4] });
    const targets = locator.targets(uri('lazy.org', { params: { transport: 'udp' } }));
    const iterator = targets[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ address: '192.0.2.1' });
    expect(resolver.questions).toEqual(['SRV _sip._udp.lazy.org', 'A first.lazy.org']);
    expect((await iterator.next()).value).toMatchObject({ address: '192.0.2.2' });
    expect(resolver.questions).toContain('A second.lazy.org');
    expect((await iterator.next()).done).toBe(true);
  });

  it('hands out one target once when two SRV records lead to the same address', async () => {
    const zone: FakeZone = {
      '_sip._udp.twice.org': {
        SRV: [srv(1, 0, 5060, 'a.twice.org'), srv(2, 0, 5060, 'b.twice.org')],
      },
      'a.twice.org': { A: ['192.0.2.1'] },
      'b.twice.org': { A: ['192.0.2.1', '192.0.2.2'] },
    };
    const locator = createServerLocator({
      resolver: createFakeResolver(zone),
      transports: ['udp'],
      families: [4],
    });
    const targets = await locator.resolve(uri('twice.org', { params: { transport: 'udp' } }));
    expect(targets.map((t) => t.address)).toEqual(['192.0.2.1', '192.0.2.2']);
  });

  it('stops at maxTargets', async () => {
    const many = Array.from({ length: 50 }, (_, i) => `10.0.0.${i + 1}`);
    const locator = createServerLocator({
      resolver: createFakeResolver({ 'big.org': { A: many } }),
      transports: ['udp'],
      maxTargets: 5,
    });
    expect(await locator.resolve(uri('big.org', { port: 5060 }))).toHaveLength(5);
  });

  it('orders SRV targets with the injected random source', async () => {
    const zone: FakeZone = {
      '_sip._udp.w.org': {
        SRV: [srv(1, 1, 5060, 'light.w.org'), srv(1, 1000, 5060, 'heavy.w.org')],
      },
      'light.w.org': { A: ['192.0.2.1'] },
      'heavy.w.org': { A: ['192.0.2.2'] },
    };
    const withDraw = (draw: number) =>
      createServerLocator({
        resolver: createFakeResolver(zone),
        transports: ['udp'],
        families: [4],
        random: () => draw,
      })
        .resolve(uri('w.org', { params: { transport: 'udp' } }))
        .then((ts) => ts.map((t) => t.address));
    expect(await withDraw(0)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(await withDraw(0.5)).toEqual(['192.0.2.2', '192.0.2.1']);
  });
});
