// A minimal SDP offer/answer body (RFC 4566) for calls whose media nobody plays: one audio
// stream, PCMU, on the given address and port.

export function minimalSdp(address: string, port: number, sessionId = Date.now()): string {
  const family = address.includes(':') ? 'IP6' : 'IP4';
  return [
    'v=0',
    `o=sipwake ${sessionId} ${sessionId} IN ${family} ${address}`,
    's=sipwake',
    `c=IN ${family} ${address}`,
    't=0 0',
    `m=audio ${port} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    'a=sendrecv',
    '',
  ].join('\r\n');
}
