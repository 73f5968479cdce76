import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DnsError, DnsErrorCodes, LocateError } from './errors.js';

/** libs/sip-stack/src/dns, found from the working directory (jest runs in the package or the root). */
function dnsDir(): string {
  const inPackage = join(process.cwd(), 'src', 'dns');
  try {
    readFileSync(join(inPackage, 'README.md'));
    return inPackage;
  } catch {
    return join(process.cwd(), 'libs', 'sip-stack', 'src', 'dns');
  }
}

function documentedCodes(): Map<string, { klass: string; retryable: boolean }> {
  const readme = readFileSync(join(dnsDir(), 'README.md'), 'utf8');
  const rows = new Map<string, { klass: string; retryable: boolean }>();
  for (const line of readme.split('\n')) {
    const match = /^\|\s*`([A-Z_]+)`\s*\|\s*(\w+)\s*\|\s*(yes|no)\s*\|/.exec(line);
    if (match) rows.set(match[1]!, { klass: match[2]!, retryable: match[3] === 'yes' });
  }
  return rows;
}

describe('DNS error codes', () => {
  it('the README table and DnsErrorCodes list the same codes, classes and retryability', () => {
    const documented = documentedCodes();
    expect([...documented.keys()].sort()).toEqual(Object.keys(DnsErrorCodes).sort());
    for (const [code, row] of documented) {
      expect({
        code,
        retryable: DnsErrorCodes[code as keyof typeof DnsErrorCodes].retryable,
      }).toEqual({
        code,
        retryable: row.retryable,
      });
      expect({ code, klass: code.startsWith('DNS_') ? 'DnsError' : 'LocateError' }).toEqual({
        code,
        klass: row.klass,
      });
    }
  });

  it('a DnsError carries its evidence and decides retryability from its code', () => {
    const cause = Object.assign(new Error('queryA ESERVFAIL sip.example.com'), {
      code: 'ESERVFAIL',
    });
    const error = new DnsError('DNS_SERVER_FAILURE', 'sip.example.com', 'A', 'ESERVFAIL', {
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'DnsError',
      code: 'DNS_SERVER_FAILURE',
      hostname: 'sip.example.com',
      rrtype: 'A',
      resolverCode: 'ESERVFAIL',
      retryable: true,
      cause,
    });
    expect(error.message).toBe(
      'DNS A lookup of sip.example.com failed: DNS_SERVER_FAILURE (ESERVFAIL)',
    );
    expect(new DnsError('DNS_BAD_NAME', 'x', 'SRV', undefined).retryable).toBe(false);
  });

  it('a LocateError carries the failures', () => {
    const target = {
      protocol: 'udp',
      address: '192.0.2.1',
      port: 5060,
      serverName: undefined,
    } as const;
    const error = new LocateError('LOCATE_TARGETS_EXHAUSTED', 'all failed', [
      { target, outcome: { status: 503 } },
    ]);
    expect(error).toMatchObject({
      name: 'LocateError',
      code: 'LOCATE_TARGETS_EXHAUSTED',
      retryable: true,
    });
    expect(error.failures).toHaveLength(1);
  });
});
