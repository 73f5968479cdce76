import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { TelemetryError, TelemetryErrorCode } from './errors.js';

describe('TelemetryError codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.entries(TelemetryErrorCode)).toEqual([
      ['AlreadyStarted', 'ALREADY_STARTED'],
      ['BadOptions', 'BAD_OPTIONS'],
      ['MetricsListenFailed', 'METRICS_LISTEN_FAILED'],
    ]);
  });

  it('matches the README table', () => {
    const documented = documentedCodes(readPackageReadme(__dirname), {
      section: 'Error codes',
    }).map((row) => row.code);
    expect(documented).toEqual(Object.values(TelemetryErrorCode));
  });

  it('carries its code and cause', () => {
    const cause = new Error('EADDRINUSE');
    const error = new TelemetryError('METRICS_LISTEN_FAILED', 'no', { cause });
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.cause]).toEqual([
      'TelemetryError',
      'METRICS_LISTEN_FAILED',
      cause,
    ]);
  });
});
