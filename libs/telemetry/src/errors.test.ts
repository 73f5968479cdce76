import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TelemetryError, TelemetryErrorCode } from './errors.js';

/** The package README, found from the working directory (the root or the package). */
function readme(): string {
  for (const dir of [join(process.cwd(), 'libs', 'telemetry'), process.cwd()]) {
    try {
      return readFileSync(join(dir, 'README.md'), 'utf8');
    } catch {
      // Try the next place.
    }
  }
  throw new Error('libs/telemetry/README.md not found from ' + process.cwd());
}

describe('TelemetryError codes', () => {
  it('keeps the published table: codes are only ever appended', () => {
    expect(Object.entries(TelemetryErrorCode)).toEqual([
      ['AlreadyStarted', 'ALREADY_STARTED'],
      ['BadOptions', 'BAD_OPTIONS'],
      ['MetricsListenFailed', 'METRICS_LISTEN_FAILED'],
    ]);
  });

  it('matches the README table', () => {
    const documented = readme()
      .split('\n')
      .map((line) => /^\|\s*`([A-Z_]+)`\s*\|/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => m[1]);
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
