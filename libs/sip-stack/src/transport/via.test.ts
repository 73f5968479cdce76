import type { Via } from '@sipwake/sip-parser';
import type { Flow } from './types.js';
import {
  defaultSipPort,
  isReliable,
  responseTarget,
  setViaParams,
  splitFirstValue,
  viaTransportToken,
} from './via.js';

function via(fields: Partial<Via>): Via {
  return {
    protocol: 'SIP/2.0',
    transport: 'UDP',
    host: '192.0.2.10',
    port: undefined,
    branch: 'z9hG4bK1',
    received: undefined,
    rport: undefined,
    maddr: undefined,
    ttl: undefined,
    params: {},
    ...fields,
  };
}

const udpFlow: Flow = {
  protocol: 'udp',
  local: { address: '198.51.100.1', port: 5060 },
  remote: { address: '203.0.113.7', port: 40000 },
};
const tcpFlow: Flow = { ...udpFlow, protocol: 'tcp', connectionId: 'tcp-1' };

describe('viaTransportToken', () => {
  it('spells each protocol as Via does', () => {
    expect(['udp', 'tcp', 'tls', 'ws', 'wss'].map((p) => viaTransportToken(p as never))).toEqual([
      'UDP',
      'TCP',
      'TLS',
      'WS',
      'WSS',
    ]);
  });

  it('knows which transports are reliable and their default ports', () => {
    expect(isReliable('udp')).toBe(false);
    expect(isReliable('ws')).toBe(true);
    expect(defaultSipPort('udp')).toBe(5060);
    expect(defaultSipPort('tls')).toBe(5061);
  });
});

describe('responseTarget (RFC 3261 §18.2.2, RFC 3581 §4)', () => {
  it('answers on the same connection for a reliable transport', () => {
    expect(responseTarget(via({ received: '203.0.113.7', port: 5070 }), tcpFlow)).toEqual({
      protocol: 'tcp',
      address: '203.0.113.7',
      port: 5070,
      connectionId: 'tcp-1',
    });
  });

  it('falls back to the source address when a reliable sent-by is a name without received', () => {
    expect(responseTarget(via({ host: 'pc.example.com' }), tcpFlow)).toMatchObject({
      address: '203.0.113.7',
      port: 5060,
      connectionId: 'tcp-1',
    });
  });

  it('sends to maddr with the sent-by port or 5060', () => {
    expect(
      responseTarget(via({ maddr: '239.255.255.1', received: '203.0.113.7' }), udpFlow),
    ).toEqual({ protocol: 'udp', address: '239.255.255.1', port: 5060 });
  });

  it('sends to received and rport when rport was filled', () => {
    expect(
      responseTarget(via({ port: 5062, received: '203.0.113.7', rport: 40000 }), udpFlow),
    ).toEqual({ protocol: 'udp', address: '203.0.113.7', port: 40000 });
  });

  it('sends to received with the sent-by port without rport', () => {
    expect(responseTarget(via({ port: 5062, received: '203.0.113.7' }), udpFlow)).toEqual({
      protocol: 'udp',
      address: '203.0.113.7',
      port: 5062,
    });
  });

  it('sends to sent-by otherwise, IPv6 without brackets', () => {
    expect(responseTarget(via({ host: '[2001:db8::9]', port: 5099 }), udpFlow)).toEqual({
      protocol: 'udp',
      address: '2001:db8::9',
      port: 5099,
    });
  });
});

describe('Via value editing', () => {
  it('splits the first value off a comma list, ignoring commas in quotes', () => {
    expect(splitFirstValue('SIP/2.0/UDP a;x="1,2", SIP/2.0/TCP b')).toEqual([
      'SIP/2.0/UDP a;x="1,2"',
      ', SIP/2.0/TCP b',
    ]);
    expect(splitFirstValue('SIP/2.0/UDP a')).toEqual(['SIP/2.0/UDP a', '']);
  });

  it('fills a valueless rport in place and appends received', () => {
    expect(
      setViaParams('SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff', {
        received: '192.0.2.1',
        rport: '9988',
      }),
    ).toBe('SIP/2.0/UDP 10.1.1.1:4540;rport=9988;branch=z9hG4bKkjshdyff;received=192.0.2.1');
  });

  it('replaces a received the client wrote and keeps other bytes as written', () => {
    expect(
      setViaParams('SIP/2.0/TCP [::1]:5060 ; branch=z9hG4bK1 ;Received=1.2.3.4;x="a;b"', {
        received: '::1',
      }),
    ).toBe('SIP/2.0/TCP [::1]:5060 ; branch=z9hG4bK1 ;received=::1;x="a;b"');
  });
});
