// B4's floor: the least a wake path can do — one UDP socket; for each INVITE, read its Call-ID
// and Request-URI user and POST a VoIP push carrying them over one HTTP/2 session to the APNs
// server, with one provider token signed at start. No parsing beyond two regexes, no bus, no
// state, no SIP answer. Settings as JSON in argv[2]; prints "ready" once bound; SIGTERM ends it.
import { createPrivateKey, sign } from 'node:crypto';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import http2 from 'node:http2';

const settings = JSON.parse(process.argv[2]);
const b64url = (value) => Buffer.from(value).toString('base64url');
const signingInput = `${b64url(JSON.stringify({ alg: 'ES256', kid: settings.keyId }))}.${b64url(
  JSON.stringify({ iss: settings.teamId, iat: Math.floor(Date.now() / 1000) }),
)}`;
const signature = sign('sha256', Buffer.from(signingInput), {
  key: createPrivateKey(readFileSync(settings.keyFile)),
  dsaEncoding: 'ieee-p1363',
});
const bearer = `bearer ${signingInput}.${signature.toString('base64url')}`;

const session = http2.connect(settings.apnsUrl, { ca: readFileSync(settings.caFile) });
session.on('error', (error) => console.error(`floor: APNs session: ${error.message}`));
let failures = 0;

const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 2 ** 20 });
socket.on('message', (data) => {
  const text = data.toString('latin1');
  if (!text.startsWith('INVITE ')) return;
  const callId = /^(?:Call-ID|i)[ \t]*:[ \t]*(\S+)/im.exec(text)?.[1];
  const selector = /^INVITE sip:([^@]+)@/.exec(text)?.[1];
  if (callId === undefined || selector === undefined) return;
  const stream = session.request({
    ':method': 'POST',
    ':path': `/3/device/${settings.token}`,
    authorization: bearer,
    'apns-topic': `${settings.topic}.voip`,
    'apns-push-type': 'voip',
    'apns-priority': '10',
    'content-type': 'application/json',
  });
  stream.on('response', (headers) => {
    if (headers[':status'] !== 200) failures += 1;
  });
  stream.on('error', () => (failures += 1));
  stream.resume();
  stream.end(JSON.stringify({ sipwake: { type: 'call', selector, callId } }));
});
socket.bind(settings.port, '127.0.0.1', () => console.log('ready'));
process.once('SIGTERM', () => {
  if (failures > 0) console.error(`floor: ${failures} pushes not answered 200`);
  socket.close();
  session.close();
  process.exit(0);
});
