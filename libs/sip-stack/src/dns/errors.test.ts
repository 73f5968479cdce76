import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { DnsError, DnsErrorCodes, LocateError } from './errors.js';

function documentedRows(): Map<string, { klass: string; retryable: string }> {
  const readme = readPackageReadme(__dirname, 'src/dns/README.md');
  return new Map(
    documentedCodes(readme, { section: 'Error codes' }).map(({ code, columns }) => [
      code,
      { klass: columns[0]!, retryable: columns[1]! },
    ]),
  );
}

describe('DNS error codes', () => {
  it('the README table and DnsErrorCodes list the same codes, classes and retryability', () => {
    const documented = documentedRows();
    expect([...documented.keys()].sort()).toEqual(Object.keys(DnsErrorCodes).sort());
    for (const [code, row] of documented) {
      expect({
        code,
        retryable: DnsErrorCodes[code as keyof typeof DnsErrorCodes].retryable ? 'yes' : 'no',
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
