import { aorKey, parseUlLookup } from './kamcmd.js';

const TWO_CONTACTS = `{
	AoR: alice
	Contacts: {
		Contact: {
			Address: sip:alice@127.0.0.1:49313
			Expires: 60
			Q: -1
			Call-ID: c1
			CSeq: 2
			User-Agent: n/a
			Received: [not set]
			Path: [not set]
			State: CS_NEW
			Flags: 0
			CFlags: 0
			Socket: udp:127.0.0.1:15060
			Methods: -1
			Ruid: uloc-6b0469f9-243c-1
			Instance: [not set]
			Reg-Id: 0
			Server-Id: 0
			Tcpconn-Id: -1
			Keepalive: 0
			Last-Keepalive: 1795451392
			KA-Roundtrip: 0
			Last-Modified: 1795451392
		}
		Contact: {
			Address: sip:alice@127.0.0.1:5070;transport=tcp
			Expires: permanent
			Q: 0.5
			Call-ID: c2
			CSeq: 7
			User-Agent: sipwake
			Received: sip:127.0.0.1:40123;transport=tcp
			Path: [not set]
			Socket: tcp:127.0.0.1:15060
			Instance: <urn:uuid:00000000-0000-0000-0000-000000000001>
			Reg-Id: 1
			Tcpconn-Id: 4
			Ruid: uloc-6b0469f9-243c-2
		}
	}
}
`;

describe('parseUlLookup', () => {
  it('reads every contact of an AoR', () => {
    const [udp, tcp] = parseUlLookup(TWO_CONTACTS);
    expect(udp).toMatchObject({
      contact: 'sip:alice@127.0.0.1:49313',
      expires: 60,
      q: undefined,
      callId: 'c1',
      cseq: 2,
      userAgent: undefined,
      received: undefined,
      socket: 'udp:127.0.0.1:15060',
      tcpConnectionId: -1,
    });
    expect(tcp).toMatchObject({
      contact: 'sip:alice@127.0.0.1:5070;transport=tcp',
      expires: undefined,
      q: 0.5,
      callId: 'c2',
      cseq: 7,
      userAgent: 'sipwake',
      received: 'sip:127.0.0.1:40123;transport=tcp',
      instance: '<urn:uuid:00000000-0000-0000-0000-000000000001>',
      regId: 1,
      tcpConnectionId: 4,
    });
    expect(tcp!.fields.Socket).toBe('tcp:127.0.0.1:15060');
  });

  it('reads an unknown AoR as no binding', () => {
    expect(parseUlLookup('error: 500 - AOR not found in location table\n')).toEqual([]);
    expect(parseUlLookup('error: 404 - AOR not found\n')).toEqual([]);
  });

  it('throws on any other RPC error', () => {
    expect(() => parseUlLookup('error: 500 - Table not found\n')).toThrow(/Table not found/);
  });
});

describe('aorKey', () => {
  it.each([
    ['alice', 'alice'],
    ['alice@example.test', 'alice@example.test'],
    ['sip:alice@example.test', 'alice@example.test'],
    ['<sips:alice@example.test;transport=tls>', 'alice@example.test'],
  ])('%s → %s', (aor, key) => {
    expect(aorKey(aor)).toBe(key);
  });
});
