import { Writable } from 'node:stream';
import { createLogger } from './logger.js';
import { createTestTracing, type TestTracing } from './testing.js';

function capture(): {
  stream: Writable;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const text = (): string => chunks.join('');
  const lines = (): Record<string, unknown>[] =>
    text()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines, text };
}

describe('createLogger', () => {
  let tracing: TestTracing;
  beforeAll(async () => {
    tracing = await createTestTracing();
  });
  afterAll(() => tracing.shutdown());

  it('never writes a password, a push key or an authorization header', () => {
    const out = capture();
    const log = createLogger({ name: 'registration-api', destination: out.stream });
    log.info({ password: 'hunter2', selector: '4/2' }, 'top level');
    log.info({ account: { username: 'alice', password: 'hunter2' } }, 'nested');
    log.info({ req: { headers: { authorization: 'Bearer s3cr3t-admin' } } }, 'headers');
    log.info(
      { device: { voipToken: 'voip-abc', token: 'push-xyz', apnsKey: '-----BEGIN' } },
      'device',
    );
    const text = out.text();
    for (const secret of [
      'hunter2',
      's3cr3t-admin',
      'voip-abc',
      'push-xyz',
      '-----BEGIN',
      'proxy-secret',
    ]) {
      expect(text).not.toContain(secret);
    }
    const [first, second] = out.lines();
    expect(first).toMatchObject({
      password: '[REDACTED]',
      selector: '4/2',
      name: 'registration-api',
    });
    expect(second).toMatchObject({ account: { username: 'alice', password: '[REDACTED]' } });
  });

  it('redacts extra keys a service adds', () => {
    const out = capture();
    const log = createLogger({
      name: 'x',
      destination: out.stream,
      extraSecretKeys: ['sharedSecret'],
    });
    log.info({ sharedSecret: 'abc123' }, 'extra');
    expect(out.text()).not.toContain('abc123');
  });

  it('adds the trace and span ids of the active span, and none outside a span', async () => {
    const out = capture();
    const log = createLogger({ name: 'x', destination: out.stream });
    log.info('outside');
    const ids = await tracing.withSpan('work', {}, (span) => {
      log.info('inside');
      return span.spanContext();
    });
    const [outside, inside] = out.lines();
    expect(outside).not.toHaveProperty('traceId');
    expect(inside).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('honours the level', () => {
    const out = capture();
    const log = createLogger({ name: 'x', level: 'warn', destination: out.stream });
    log.info('quiet');
    log.warn('loud');
    expect(out.lines().map((l) => l['msg'])).toEqual(['loud']);
  });
});
