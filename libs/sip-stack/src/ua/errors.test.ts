import { createResponse, createRequest } from '@sipwake/sip-parser';
import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { UaError, UaErrorCodes } from './errors.js';

describe('UA error codes', () => {
  it('are the documented table, in order, with the same retryability', () => {
    const rows = documentedCodes(readPackageReadme(__dirname, 'src/ua/README.md'), {
      section: 'Error codes',
    }).map(({ code, columns }) => [code, columns[0]]);
    expect(rows).toEqual(
      Object.entries(UaErrorCodes).map(([code, v]) => [code, v.retryable ? 'yes' : 'no']),
    );
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
