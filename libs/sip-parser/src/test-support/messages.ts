// Typical messages of a registration and a call, CRLF line ends, for unit tests and the fuzz test.

function msg(lines: readonly string[], body = ''): Buffer {
  const head = lines.join('\r\n') + '\r\n';
  const withLength = head + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return Buffer.from(withLength + body, 'utf8');
}

export const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

export const REGISTER = msg([
  'REGISTER sip:example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport',
  'Max-Forwards: 70',
  'To: Alice <sip:alice@example.com>',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 2 REGISTER',
  'Contact: <sip:alice@192.0.2.10:5060;transport=udp;pn-provider=apns;pn-prid=00fc13adff78512;pn-param=ABCD1234.com.example.voip>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"',
  'Authorization: Digest username="alice", realm="example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sip:example.com", response="dfe56131d1958046689d83306477ecc", algorithm=MD5, cnonce="0a4f113b", qop=auth, nc=00000001',
  'User-Agent: sipwake-test/1.0',
]);

export const UNAUTHORIZED = msg([
  'SIP/2.0 401 Unauthorized',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;received=192.0.2.10;rport=5060',
  'To: Alice <sip:alice@example.com>;tag=37GkEhwl6',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 1 REGISTER',
  'WWW-Authenticate: Digest realm="example.com", qop="auth", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", opaque="", algorithm=MD5, stale=FALSE',
]);

export const REGISTER_OK = msg([
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;received=192.0.2.10;rport=5060',
  'To: Alice <sip:alice@example.com>;tag=37GkEhwl6',
  'From: Alice <sip:alice@example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710@pc33.example.com',
  'CSeq: 2 REGISTER',
  'Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=3600',
  'Date: Sat, 13 Nov 2010 23:29:00 GMT',
]);

export const INVITE = msg(
  [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP proxy.atlanta.example.com:5060;branch=z9hG4bK2d4790.1',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds8;received=192.0.2.10',
    'Max-Forwards: 69',
    'Record-Route: <sip:proxy.atlanta.example.com;lr>',
    'To: Bob <sip:bob@biloxi.example.com>',
    'From: "Alice A." <sip:alice@atlanta.example.com>;tag=9fxced76sl',
    'Call-ID: 3848276298220188511@atlanta.example.com',
    'CSeq: 1 INVITE',
    'Contact: <sip:alice@192.0.2.10;transport=udp>',
    'Supported: replaces, outbound',
    'Content-Type: application/sdp',
  ],
  SDP,
);

export const RINGING = msg([
  'SIP/2.0 180 Ringing',
  'Via: SIP/2.0/UDP proxy.atlanta.example.com:5060;branch=z9hG4bK2d4790.1',
  'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds8;received=192.0.2.10',
  'Record-Route: <sip:proxy.atlanta.example.com;lr>',
  'To: Bob <sip:bob@biloxi.example.com>;tag=314159',
  'From: "Alice A." <sip:alice@atlanta.example.com>;tag=9fxced76sl',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  'CSeq: 1 INVITE',
  'Contact: <sip:bob@192.0.2.4>',
  'X-Sipwake-Push-Status: Alerting-Device',
]);

export const BYE = msg([
  'BYE sip:alice@192.0.2.10 SIP/2.0',
  'Via: SIP/2.0/TCP 192.0.2.4:5060;branch=z9hG4bKnashds10',
  'Max-Forwards: 70',
  'From: Bob <sip:bob@biloxi.example.com>;tag=314159',
  'To: "Alice A." <sip:alice@atlanta.example.com>;tag=9fxced76sl',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  'CSeq: 1 BYE',
  'Reason: SIP;cause=200;text="Call completed elsewhere"',
]);

export const MESSAGE = msg(
  [
    'MESSAGE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/TLS [2001:db8::10]:5061;branch=z9hG4bK776sgdkse',
    'Max-Forwards: 70',
    'From: sip:alice@atlanta.example.com;tag=49583',
    'To: sip:bob@biloxi.example.com',
    'Call-ID: asd88asd77a@1.2.3.4',
    'CSeq: 1 MESSAGE',
    'Content-Type: text/plain;charset=utf-8',
  ],
  'Watson, come here. Grüße.',
);

export const TYPICAL: readonly Buffer[] = [
  REGISTER,
  UNAUTHORIZED,
  REGISTER_OK,
  INVITE,
  RINGING,
  BYE,
  MESSAGE,
];
