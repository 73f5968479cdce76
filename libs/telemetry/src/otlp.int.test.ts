// The OTLP/HTTP path, end to end, in a real Node ESM process: jest's CommonJS sandbox refuses the
// exporter's dynamic import of node:http, so the package is built and run in a child process
// that sends a span to a collector this test serves on loopback.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { listen } from './test-support/http.js';

const run = promisify(execFile);

/** The package directory, from the working directory (the package or the root). */
function packageDir(): string {
  for (const dir of [process.cwd(), join(process.cwd(), 'libs', 'telemetry')]) {
    if (
      existsSync(join(dir, 'tsconfig.build.json')) &&
      existsSync(join(dir, 'src', 'telemetry.ts'))
    )
      return dir;
  }
  throw new Error('libs/telemetry not found from ' + process.cwd());
}

const child = `
const { startTelemetry, createLogger } = await import(process.argv[1]);
const telemetry = await startTelemetry({
  serviceName: 'state-persister',
  serviceVersion: '1.0.0',
  otlpEndpoint: process.argv[2],
});
const log = createLogger({ name: 'state-persister' });
await telemetry
  .withSpan('checkpoint.write', { rows: 3, account: { password: 'hunter2' } }, (span) => {
    span.setAttribute('sip.password', 'hunter2');
    log.info({ password: 'hunter2' }, 'writing');
    throw new Error('db down');
  })
  .catch(() => undefined);
await telemetry.shutdown();
`;

describe('OTLP/HTTP export', () => {
  it('sends spans to <endpoint>/v1/traces with secrets masked, and logs with the trace id', async () => {
    const dir = packageDir();
    await run(process.execPath, [
      join(dir, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(dir, 'tsconfig.build.json'),
    ]);

    const received: { url: string; body: Buffer }[] = [];
    const collector = await listen((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ url: request.url ?? '', body: Buffer.concat(chunks) });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    try {
      const { stdout } = await run(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          child,
          join(dir, 'dist', 'index.js'),
          `http://127.0.0.1:${collector.port}/`,
        ],
        { timeout: 20_000 },
      );
      expect(received.map((r) => r.url)).toEqual(['/v1/traces']);
      const exported = received.map((r) => r.body.toString('latin1')).join('');
      expect(exported).toContain('checkpoint.write');
      expect(exported).toContain('state-persister');
      expect(exported).toContain('db down');
      expect(exported).toContain('[REDACTED]');
      expect(exported).not.toContain('hunter2');

      const line = JSON.parse(stdout.trim()) as Record<string, unknown>;
      expect(line).toMatchObject({ msg: 'writing', password: '[REDACTED]' });
      expect(line['traceId']).toMatch(/^[0-9a-f]{32}$/);
      expect(exported).toContain(String(line['traceId'])); // OTLP/HTTP JSON writes ids in hex
      expect(stdout).not.toContain('hunter2');
    } finally {
      await collector.close();
    }
  });
});
