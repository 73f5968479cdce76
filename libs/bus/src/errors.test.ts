import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { BusError, BusErrorCode, isBusError } from './errors.js';

describe('BusError codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.entries(BusErrorCode)).toEqual([
      ['Timeout', 'TIMEOUT'],
      ['NoResponders', 'NO_RESPONDERS'],
      ['Closed', 'CLOSED'],
      ['BadSubject', 'BAD_SUBJECT'],
      ['BadHeader', 'BAD_HEADER'],
      ['PayloadTooLarge', 'PAYLOAD_TOO_LARGE'],
      ['ConnectFailed', 'CONNECT_FAILED'],
      ['HandlerFailed', 'HANDLER_FAILED'],
      ['BadOptions', 'BAD_OPTIONS'],
      ['TransportFailed', 'TRANSPORT_FAILED'],
    ]);
  });

  it('matches the README table: the same codes with the same retryability', () => {
    const documented = documentedCodes(readPackageReadme(__dirname), {
      section: 'Error codes',
    }).map(({ code, columns }) => [code, columns[0]]);
    const coded = Object.values(BusErrorCode).map((code) => [
      code,
      new BusError(code, 'x').retryable ? 'yes' : 'no',
    ]);
    expect(documented).toEqual(coded);
  });

  it('carries its code, subject and cause, and is recognised by isBusError', () => {
    const cause = new Error('503');
    const error = new BusError('NO_RESPONDERS', 'no', { subject: 'sw.push', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('BusError');
    expect(error.retryable).toBe(true);
    expect(error.subject).toBe('sw.push');
    expect(error.cause).toBe(cause);
    expect(isBusError(error)).toBe(true);
    expect(isBusError(error, 'NO_RESPONDERS')).toBe(true);
    expect(isBusError(error, 'TIMEOUT')).toBe(false);
    expect(isBusError(cause)).toBe(false);
  });
});
