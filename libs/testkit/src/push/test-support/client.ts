// A bare HTTP/2 client and JWT signer for the servers' own tests: no code of the service under
// test, so the servers are checked against the protocol, not against one client.
import { sign } from 'node:crypto';
import http2 from 'node:http2';

export function signJwt(
  alg: 'ES256' | 'RS256',
  header: object,
  claims: object,
  privateKeyPem: string,
): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${part({ alg, typ: 'JWT', ...header })}.${part(claims)}`;
  const signature =
    alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: privateKeyPem, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', Buffer.from(input), privateKeyPem);
  return `${input}.${signature.toString('base64url')}`;
}

export interface TestAnswer {
  readonly status: number;
  readonly headers: http2.IncomingHttpHeaders;
  readonly body: string;
}

export interface TestClient {
  post(path: string, headers: Record<string, string>, body: string): Promise<TestAnswer>;
  close(): void;
}

export function connectTestClient(url: string, ca: string): TestClient {
  const session = http2.connect(url, { ca });
  session.on('error', () => undefined);
  return {
    post(path, headers, body) {
      return new Promise((resolve, reject) => {
        const stream = session.request({ ':method': 'POST', ':path': path, ...headers });
        let status = 0;
        let answerHeaders: http2.IncomingHttpHeaders = {};
        const chunks: Buffer[] = [];
        stream.on('response', (h) => {
          status = Number(h[':status']);
          answerHeaders = h;
        });
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () =>
          resolve({ status, headers: answerHeaders, body: Buffer.concat(chunks).toString('utf8') }),
        );
        stream.on('error', reject);
        stream.end(body);
      });
    },
    close: () => session.close(),
  };
}
