import { startDnsServer, type TestDnsServer } from '../test-support/dns-server.js';
import { DnsError } from './errors.js';
import { createServerLocator } from './locator.js';
import { createNodeDnsResolver } from './node-resolver.js';
import type { DnsResolver } from './types.js';

describe('node:dns resolver against a local DNS server', () => {
  let dns: TestDnsServer;
  let resolver: DnsResolver;

  beforeAll(async () => {
    dns = await startDnsServer({
      'example.test': {
        NAPTR: [
          {
            order: 10,
            preference: 5,
            flags: 'S',
            service: 'SIPS+D2T',
            regexp: '',
            replacement: '_sips._tcp.example.test',
            ttl: 120,
          },
          {
            order: 20,
            preference: 5,
            flags: 'S',
            service: 'SIP+D2U',
            regexp: '',
            replacement: '_sip._udp.example.test',
          },
        ],
        A: [{ address: '192.0.2.10', ttl: 42 }],
      },
      '_sips._tcp.example.test': {
        SRV: [{ priority: 1, weight: 10, port: 5071, target: 'sip1.example.test', ttl: 90 }],
      },
      '_sip._udp.example.test': {
        SRV: [{ priority: 1, weight: 0, port: 5062, target: 'sip2.example.test' }],
      },
      '_sip._tcp.closed.test': { SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] },
      'sip1.example.test': {
        A: [{ address: '192.0.2.1', ttl: 30 }],
        AAAA: [{ address: '2001:db8::1', ttl: 31 }],
      },
      'sip2.example.test': { A: [{ address: '192.0.2.2' }] },
      'broken.test': { rcode: 'SERVFAIL' },
      'refusing.test': { rcode: 'REFUSED' },
    });
    resolver = createNodeDnsResolver({ servers: [dns.server], timeoutMs: 2000, tries: 1 });
  });

  afterAll(() => dns.stop());

  it('parses NAPTR records', async () => {
    const records = await resolver.resolveNaptr('example.test');
    expect(records).toEqual([
      {
        order: 10,
        preference: 5,
        flags: 'S',
        service: 'SIPS+D2T',
        regexp: '',
        replacement: '_sips._tcp.example.test',
      },
      {
        order: 20,
        preference: 5,
        flags: 'S',
        service: 'SIP+D2U',
        regexp: '',
        replacement: '_sip._udp.example.test',
      },
    ]);
  });

  it('parses SRV records, and a "." target as the root name', async () => {
    expect(await resolver.resolveSrv('_sips._tcp.example.test')).toEqual([
      { priority: 1, weight: 10, port: 5071, name: 'sip1.example.test' },
    ]);
    const closed = await resolver.resolveSrv('_sip._tcp.closed.test');
    expect(closed).toHaveLength(1);
    expect(['', '.']).toContain(closed[0]!.name);
  });

  it('parses A and AAAA records with their TTLs', async () => {
    expect(await resolver.resolve4('sip1.example.test')).toEqual([
      { address: '192.0.2.1', ttl: 30 },
    ]);
    expect(await resolver.resolve6('sip1.example.test')).toEqual([
      { address: '2001:db8::1', ttl: 31 },
    ]);
  });

  it('answers an unknown name (NXDOMAIN) and a missing record type (NODATA) with an empty list', async () => {
    expect(await resolver.resolveSrv('_sip._udp.nowhere.test')).toEqual([]);
    expect(await resolver.resolve6('sip2.example.test')).toEqual([]);
  });

  it('turns SERVFAIL and REFUSED into typed DnsErrors', async () => {
    await expect(resolver.resolve4('broken.test')).rejects.toMatchObject({
      name: 'DnsError',
      code: 'DNS_SERVER_FAILURE',
      hostname: 'broken.test',
      rrtype: 'A',
      resolverCode: 'ESERVFAIL',
      retryable: true,
    });
    const refused = await resolver.resolveSrv('refusing.test').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DnsError);
    expect(refused).toMatchObject({ code: 'DNS_REFUSED', rrtype: 'SRV' });
  });

  it('locates a SIPS URI through NAPTR, SRV and AAAA/A over the wire', async () => {
    const locator = createServerLocator({ resolver, transports: ['udp', 'tcp', 'tls'] });
    const targets = await locator.resolve({
      scheme: 'sips',
      host: 'example.test',
      port: undefined,
      params: {},
    });
    expect(targets).toEqual([
      { protocol: 'tls', address: '2001:db8::1', port: 5071, serverName: 'example.test' },
      { protocol: 'tls', address: '192.0.2.1', port: 5071, serverName: 'example.test' },
    ]);
    expect(dns.questions.map((q) => `${q.type} ${q.name}`)).toEqual(
      expect.arrayContaining([
        'NAPTR example.test',
        'SRV _sips._tcp.example.test',
        'AAAA sip1.example.test',
        'A sip1.example.test',
      ]),
    );
  });
});

describe('node:dns resolver without a DNS server', () => {
  it('reports an unanswered query as a typed timeout or unreachable error', async () => {
    // A port nobody listens on any more: each try times out or meets an ICMP "port unreachable".
    const silent = await startDnsServer({});
    await silent.stop();
    const resolver = createNodeDnsResolver({ servers: [silent.server], timeoutMs: 200, tries: 1 });
    const error = await resolver.resolve4('example.test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DnsError);
    expect(['DNS_TIMEOUT', 'DNS_UNREACHABLE']).toContain((error as DnsError).code);
    expect((error as DnsError).retryable).toBe(true);
  });
});
