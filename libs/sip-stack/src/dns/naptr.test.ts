import { selectNaptrServices } from './naptr.js';
import type { NaptrRecord } from './types.js';

function naptr(
  order: number,
  preference: number,
  service: string,
  extra: Partial<NaptrRecord> = {},
): NaptrRecord {
  return {
    order,
    preference,
    flags: 'S',
    service,
    regexp: '',
    replacement: `_${service}.example.com`,
    ...extra,
  };
}

describe('selectNaptrServices (RFC 3263 §4.1)', () => {
  it('orders by order, then preference', () => {
    const out = selectNaptrServices(
      [naptr(20, 1, 'SIP+D2U'), naptr(10, 20, 'SIP+D2T'), naptr(10, 10, 'SIPS+D2T')],
      false,
      ['udp', 'tcp', 'tls'],
    );
    expect(out.map((s) => s.protocol)).toEqual(['tls', 'tcp', 'udp']);
  });

  it.each([
    ['SIP+D2U', 'udp'],
    ['SIP+D2T', 'tcp'],
    ['SIPS+D2T', 'tls'],
    ['SIP+D2W', 'ws'],
    ['SIPS+D2W', 'wss'],
    ['sips+d2t', 'tls'],
  ] as const)('maps service %s to %s', (service, protocol) => {
    expect(
      selectNaptrServices([naptr(1, 1, service)], false, ['udp', 'tcp', 'tls', 'ws', 'wss']),
    ).toEqual([{ protocol, srvName: `_${service}.example.com`.toLowerCase() }]);
  });

  it('keeps only SIPS services for a SIPS URI, and SIPS ones too for a SIP URI', () => {
    const records = [naptr(1, 1, 'SIP+D2T'), naptr(2, 1, 'SIPS+D2T'), naptr(3, 1, 'SIPS+D2W')];
    const all = ['udp', 'tcp', 'tls', 'ws', 'wss'] as const;
    expect(selectNaptrServices(records, true, all).map((s) => s.protocol)).toEqual(['tls', 'wss']);
    expect(selectNaptrServices(records, false, all).map((s) => s.protocol)).toEqual([
      'tcp',
      'tls',
      'wss',
    ]);
  });

  it('drops unknown and unsupported services, other flags, regexps and empty replacements', () => {
    const out = selectNaptrServices(
      [
        naptr(1, 1, 'SIP+D2S'),
        naptr(1, 1, 'E2U+sip'),
        naptr(1, 1, 'SIP+D2T', { flags: 'A' }),
        naptr(1, 1, 'SIP+D2T', { regexp: '!^.*$!sip:x@y!' }),
        naptr(1, 1, 'SIP+D2T', { replacement: '.' }),
        naptr(1, 1, 'SIP+D2W'),
        naptr(9, 9, 'SIP+D2U', { replacement: '_sip._udp.Example.COM.' }),
      ],
      false,
      ['udp', 'tcp'],
    );
    expect(out).toEqual([{ protocol: 'udp', srvName: '_sip._udp.example.com' }]);
  });
});
