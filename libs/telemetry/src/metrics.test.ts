import { startTelemetry, type Telemetry } from './telemetry.js';
import { freePort, httpGet, listen } from './test-support/http.js';

describe('the metrics operators watch', () => {
  let telemetry: Telemetry | undefined;
  afterEach(async () => {
    await telemetry?.shutdown();
    telemetry = undefined;
  });

  it('serves every instrument with its labels on /metrics of the metrics port', async () => {
    const port = await freePort();
    telemetry = await startTelemetry({
      serviceName: 'registrar-agent',
      serviceVersion: '1.2.3',
      metricsPort: port,
      metricsHost: '127.0.0.1',
    });
    const counts = [
      { state: 'Registered', count: 7, shard: 's-4' },
      { state: 'Error', count: 1, shard: 's-4' },
    ];
    let reads = 0;
    const unsubscribe = telemetry.metrics.observeInstances(() => {
      reads += 1;
      return counts;
    });
    telemetry.metrics.registrationSent({ shard: 's-4' });
    telemetry.metrics.registrationSent({ shard: 's-4' });
    telemetry.metrics.registrationFailed(403);
    telemetry.metrics.registrationFailed('timeout');
    telemetry.metrics.push('sent', 'apns');
    telemetry.metrics.push('bad-token', 'fcm');
    telemetry.metrics.busRequest(12, { operation: 'instance.load', outcome: 'ok' });
    telemetry.metrics.busRequest(2000, { operation: 'instance.load', outcome: 'timeout' });
    telemetry.metrics.checkpointLag(250);

    const { status, body } = await httpGet(`http://127.0.0.1:${port}/metrics`);
    expect(status).toBe(200);
    const lines = body.split('\n');
    const sample = (prefix: string): string | undefined => lines.find((l) => l.startsWith(prefix));
    expect(sample('sipwake_instances{state="Registered",shard="s-4"}')).toMatch(/ 7$/);
    expect(sample('sipwake_instances{state="Error",shard="s-4"}')).toMatch(/ 1$/);
    expect(sample('sipwake_registrations_sent_total{shard="s-4"}')).toMatch(/ 2$/);
    expect(sample('sipwake_registrations_failed_total{code="403"}')).toMatch(/ 1$/);
    expect(sample('sipwake_registrations_failed_total{code="timeout"}')).toMatch(/ 1$/);
    expect(sample('sipwake_pushes_total{outcome="sent",provider="apns"}')).toMatch(/ 1$/);
    expect(sample('sipwake_pushes_total{outcome="bad-token",provider="fcm"}')).toMatch(/ 1$/);
    expect(
      sample('sipwake_bus_request_seconds_count{operation="instance.load",outcome="timeout"}'),
    ).toMatch(/ 1$/);
    expect(
      sample(
        'sipwake_bus_request_seconds_bucket{operation="instance.load",outcome="ok",le="0.025"}',
      ),
    ).toMatch(/ 1$/);
    expect(sample('sipwake_checkpoint_lag_seconds_sum')).toMatch(/ 0.25$/);

    counts[0] = { state: 'Registered', count: 9, shard: 's-4' };
    const later = await httpGet(`http://127.0.0.1:${port}/metrics`);
    expect(later.body).toContain('sipwake_instances{state="Registered",shard="s-4"} 9');
    expect(reads).toBe(2);

    unsubscribe();
    await httpGet(`http://127.0.0.1:${port}/metrics`);
    expect(reads).toBe(2);
  });

  it('answers a scrape through the handler a service mounts on its own server', async () => {
    telemetry = await startTelemetry({ serviceName: 'registration-api', serviceVersion: '1.0.0' });
    const current = telemetry;
    current.metrics.push('sent', 'fcm');
    const server = await listen((request, response) => current.metricsHandler(request, response));
    try {
      const { status, body } = await httpGet(`http://127.0.0.1:${server.port}/metrics`);
      expect(status).toBe(200);
      expect(body).toContain('# TYPE sipwake_pushes_total counter');
      expect(body).toContain('sipwake_pushes_total{outcome="sent",provider="fcm"} 1');
    } finally {
      await server.close();
    }
  });
});
