import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { describeTarget, TransportError, TransportErrorCode } from './errors.js';

describe('TransportError codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.entries(TransportErrorCode)).toEqual([
      ['ConnectFailed', 'CONNECT_FAILED'],
      ['ConnectTimeout', 'CONNECT_TIMEOUT'],
      ['MessageTooLarge', 'MESSAGE_TOO_LARGE'],
      ['ConnectionClosed', 'CONNECTION_CLOSED'],
      ['NotListening', 'NOT_LISTENING'],
      ['ConnectionLimit', 'CONNECTION_LIMIT'],
      ['SendFailed', 'SEND_FAILED'],
      ['ListenFailed', 'LISTEN_FAILED'],
      ['BadOptions', 'BAD_OPTIONS'],
    ]);
  });

  it('matches the README table: the same codes with the same retryability', () => {
    const documented = documentedCodes(readPackageReadme(__dirname, 'src/transport/README.md'), {
      section: 'Error codes',
    }).map(({ code, columns }) => [code, columns[0]]);
    const coded = Object.values(TransportErrorCode).map((code) => [
      code,
      new TransportError(code, 'x').retryable ? 'yes' : 'no',
    ]);
    expect(documented).toEqual(coded);
  });

  it('decides retryability where the error is raised', () => {
    const retryable = Object.values(TransportErrorCode).filter(
      (code) => new TransportError(code, 'x').retryable,
    );
    expect(retryable).toEqual([
      'CONNECT_FAILED',
      'CONNECT_TIMEOUT',
      'CONNECTION_CLOSED',
      'CONNECTION_LIMIT',
      'SEND_FAILED',
    ]);
  });

  it('carries its code, target and cause', () => {
    const cause = new Error('ECONNREFUSED');
    const target = { protocol: 'tcp', address: '::1', port: 5060 } as const;
    const error = new TransportError('CONNECT_FAILED', 'no', { target, cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TransportError');
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.target).toEqual(target);
    expect(error.cause).toBe(cause);
  });

  it('names endpoints with IPv6 in brackets', () => {
    expect(describeTarget({ protocol: 'tcp', address: '::1', port: 5060 })).toBe('tcp:[::1]:5060');
    expect(describeTarget({ protocol: 'udp', address: '10.0.0.1', port: 5 })).toBe(
      'udp:10.0.0.1:5',
    );
  });
});
