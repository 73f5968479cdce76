import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createResponse, createRequest } from '@sipwake/sip-parser';
import { UaError, UaErrorCodes } from './errors.js';

/** This folder, found from the working directory (jest runs from the package or the repo root). */
function readme(): string {
  for (const base of [process.cwd(), path.join(process.cwd(), 'libs/sip-stack')]) {
    try {
      return readFileSync(path.join(base, 'src/ua/README.md'), 'utf8');
    } catch {
      // try the next base
    }
  }
  throw new Error('src/ua/README.md not found');
}

describe('UA error codes', () => {
  it('are the documented table, in order, with the same retryability', () => {
    const section = readme().split('## Error codes')[1] ?? '';
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` +\| (yes|no) +\|/gm)].map((m) => [
      m[1],
      m[2] === 'yes',
    ]);
    expect(rows).toEqual(Object.entries(UaErrorCodes).map(([code, v]) => [code, v.retryable]));
  });

  it('carries the response status and its cause', () => {
    const request = createRequest({
      method: 'REGISTER',
      uri: 'sip:example.test',
      headers: [
        ['Via', 'SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKx'],
        ['From', '<sip:a@example.test>;tag=1'],
        ['To', '<sip:a@example.test>'],
        ['Call-ID', 'c'],
        ['CSeq', '1 REGISTER'],
      ],
    });
    const cause = new Error('digest');
    const error = new UaError('UNAUTHORIZED', 'refused', {
      response: createResponse(request, 401, 'Unauthorized'),
      cause,
    });
    expect([error.name, error.code, error.status, error.retryable, error.cause]).toEqual([
      'UaError',
      'UNAUTHORIZED',
      401,
      false,
      cause,
    ]);
  });
});
