// SIP messages as bytes for transport tests: small, valid, and easy to tell apart.

export interface TestRequestOptions {
  readonly method?: string;
  readonly uri?: string;
  /** The whole Via value (`SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK…`). */
  readonly via?: string;
  readonly callId?: string;
  readonly body?: string;
  /** Extra header lines, without CRLF. */
  readonly headers?: readonly string[];
}

let counter = 0;

export function sipRequest(options: TestRequestOptions = {}): Buffer {
  const n = ++counter;
  const method = options.method ?? 'OPTIONS';
  const body = options.body ?? '';
  const lines = [
    `${method} ${options.uri ?? 'sip:bob@127.0.0.1'} SIP/2.0`,
    `Via: ${options.via ?? `SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-test-${n}`}`,
    'Max-Forwards: 70',
    `From: <sip:alice@127.0.0.1>;tag=f${n}`,
    'To: <sip:bob@127.0.0.1>',
    `Call-ID: ${options.callId ?? `call-${n}@test`}`,
    `CSeq: 1 ${method}`,
    ...(options.headers ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return Buffer.from(lines.join('\r\n'));
}

export interface TestResponseOptions {
  readonly status?: number;
  readonly reason?: string;
  readonly via?: string;
  readonly callId?: string;
}

export function sipResponse(options: TestResponseOptions = {}): Buffer {
  const n = ++counter;
  const lines = [
    `SIP/2.0 ${options.status ?? 200} ${options.reason ?? 'OK'}`,
    `Via: ${options.via ?? `SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-test-${n}`}`,
    `From: <sip:alice@127.0.0.1>;tag=f${n}`,
    `To: <sip:bob@127.0.0.1>;tag=t${n}`,
    `Call-ID: ${options.callId ?? `call-${n}@test`}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}
