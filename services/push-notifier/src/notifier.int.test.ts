// The notifier over real NATS against both local providers: every outcome, VoIP vs alert
// headers, provider-token refresh, throttled retry, OAuth refresh, one shared HTTP/2 session.
import { connectBus, createInProcessBus, type Bus } from '@sipwake/bus';
import {
  decodeReply,
  encodeMessage,
  PushRequest,
  PushResults,
  subjects,
  type PushDevice,
} from '@sipwake/contracts';
import { createTestTracing, type TestTracing } from '@sipwake/telemetry';
import {
  generateApnsKey,
  startNatsServer,
  writeSecretFile,
  type NatsServer,
} from '@sipwake/testkit';
import path from 'node:path';
import { createPushNotifier } from './notifier.js';
import { createCaptureLog, type CaptureLog } from './test-support/capture-log.js';
import { bundleId, startLocalProviders, type LocalProviders } from './test-support/providers.js';
import type { PushNotifier } from './types.js';

const selector = 'ab'.repeat(20);
const hex = (n: number): string => n.toString(16).padStart(64, '0');
const ios = (n: number, voip = true): PushDevice => ({
  deviceId: `ios-${n}`,
  provider: 'apns',
  token: hex(n),
  ...(voip ? { voipToken: hex(1000 + n) } : {}),
  appId: bundleId,
  platform: 'ios',
});
const android = (n: number): PushDevice => ({
  deviceId: `android-${n}`,
  provider: 'fcm',
  token: `fcm-token-${n}`,
  appId: 'com.example.phone',
  platform: 'android',
});
const call = (devices: PushDevice[], callId = 'call-1@upstream'): PushRequest => ({
  type: 'call',
  selector,
  callId,
  caller: { uri: 'sip:bob@example.test', displayName: 'Bob' },
  host: 's-a.sip.example.test',
  devices,
});

let nats: NatsServer;
let providers: LocalProviders;
let serviceBus: Bus;
let client: Bus;
let log: CaptureLog;
let tracing: TestTracing;
let notifier: PushNotifier;

async function push(request: PushRequest, headers?: Record<string, string>) {
  const reply = await client.request(subjects.push, encodeMessage(PushRequest, request), {
    timeoutMs: 10_000,
    ...(headers === undefined ? {} : { headers }),
  });
  const decoded = decodeReply(PushResults, reply.data);
  if (!decoded.ok) throw new Error(`error reply ${decoded.error.code}`);
  return decoded.value.results;
}

beforeAll(async () => {
  [nats, providers] = await Promise.all([
    startNatsServer({ jetstream: false }),
    startLocalProviders(),
  ]);
  serviceBus = await connectBus({ kind: 'nats', servers: nats.url, name: 'push-notifier' });
  client = await connectBus({ kind: 'nats', servers: nats.url, name: 'agent' });
  tracing = await createTestTracing('push-notifier');
  log = createCaptureLog();
  notifier = createPushNotifier({
    bus: serviceBus,
    config: providers.config({
      SIPWAKE_PUSH_RETRY_BASE_DELAY_MS: '10',
      SIPWAKE_PUSH_RETRY_MAX_DELAY_MS: '40',
      SIPWAKE_PUSH_DEADLINE_MS: '3000',
    }),
    log,
    tracing,
    metrics: tracing.metrics,
  });
  notifier.start();
});

afterAll(async () => {
  await notifier?.stop();
  await client?.close();
  await serviceBus?.close();
  await tracing?.shutdown();
  await providers?.stop();
  await nats?.stop();
});

beforeEach(() => {
  providers.apns.reset();
  providers.fcm.reset();
});

describe('push-notifier over NATS with local APNs and FCM', () => {
  it('sends a call as a VoIP push: voip type, .voip topic, priority 10, short expiration', async () => {
    const before = Math.floor(Date.now() / 1000);
    expect(await push(call([ios(1)]))).toEqual([{ deviceId: 'ios-1', outcome: 'sent' }]);
    const [sent] = providers.apns.pushes();
    expect(sent?.token).toBe(hex(1001));
    expect(sent?.headers).toMatchObject({
      'apns-push-type': 'voip',
      'apns-topic': `${bundleId}.voip`,
      'apns-priority': '10',
      'apns-collapse-id': expect.stringMatching(/^call-[0-9a-f]{32}$/),
    });
    const expiration = Number(sent?.headers['apns-expiration']);
    expect(expiration).toBeGreaterThanOrEqual(before + 29);
    expect(expiration).toBeLessThanOrEqual(before + 32);
    expect(sent?.payload).toEqual({
      sipwake: {
        type: 'call',
        selector,
        host: 's-a.sip.example.test',
        callId: 'call-1@upstream',
        callerUri: 'sip:bob@example.test',
        callerName: 'Bob',
      },
    });
  });

  it('sends a missed call as an alert to the app topic, collapsing with its call', async () => {
    await push(call([ios(2)], 'call-2'));
    await push({ ...call([ios(2)], 'call-2'), type: 'missed-call' });
    const [voip, alert] = providers.apns.pushes();
    expect(alert?.token).toBe(hex(2));
    expect(alert?.headers).toMatchObject({
      'apns-push-type': 'alert',
      'apns-topic': bundleId,
      'apns-priority': '10',
    });
    expect(alert?.headers['apns-collapse-id']).toBe(voip?.headers['apns-collapse-id']);
    expect(alert?.payload).toMatchObject({ aps: { alert: { title: 'Missed call', body: 'Bob' } } });
  });

  it('maps every APNs answer to its outcome, one result per device in order', async () => {
    const { apns } = providers;
    apns.answerToken(hex(11), { status: 400, reason: 'BadDeviceToken' });
    apns.answerToken(hex(12), { status: 410, reason: 'Unregistered' });
    apns.answerToken(hex(13), { status: 400, reason: 'DeviceTokenNotForTopic' });
    apns.answerToken(hex(14), { status: 429, reason: 'TooManyRequests', retryAfterS: 60 });
    apns.answerToken(hex(15), { status: 500, reason: 'InternalServerError' });
    const devices = [10, 11, 12, 13, 14, 15].map((n) => ios(n, false));
    const results = await push({ ...call(devices), type: 'message' });
    expect(results).toEqual([
      { deviceId: 'ios-10', outcome: 'sent' },
      { deviceId: 'ios-11', outcome: 'bad-token', detail: 'BadDeviceToken' },
      { deviceId: 'ios-12', outcome: 'unregistered', detail: 'Unregistered' },
      { deviceId: 'ios-13', outcome: 'bad-token', detail: 'DeviceTokenNotForTopic' },
      { deviceId: 'ios-14', outcome: 'throttled', detail: 'TooManyRequests', retryAfterMs: 60_000 },
      { deviceId: 'ios-15', outcome: 'provider-error', detail: 'InternalServerError' },
    ]);
    const count = (n: number) => apns.pushes().filter((p) => p.token === hex(n)).length;
    // Bad and unregistered tokens are never retried; a Retry-After beyond the deadline is
    // handed back; a 500 is retried up to maxAttempts.
    expect([count(11), count(12), count(13), count(14), count(15)]).toEqual([1, 1, 1, 1, 5]);
  });

  it('retries a throttled push after a back-off and reports it sent', async () => {
    providers.apns.answerNext({ status: 429, reason: 'TooManyRequests' }, 2);
    expect(await push(call([ios(20)]))).toEqual([{ deviceId: 'ios-20', outcome: 'sent' }]);
    expect(providers.apns.pushes().map((p) => p.status)).toEqual([429, 429, 200]);
    expect(
      log.lines.filter((l) => l.message === 'push will be retried').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('signs one new provider token after ExpiredProviderToken and sends again', async () => {
    await push(call([ios(30)]));
    const signed = notifier.stats().apnsTokensSigned;
    providers.apns.expireProviderTokens();
    providers.apns.reset();
    const results = await push(call([ios(31), ios(32), ios(33)]));
    expect(results.map((r) => r.outcome)).toEqual(['sent', 'sent', 'sent']);
    expect(notifier.stats().apnsTokensSigned).toBe(signed + 1);
    const statuses = providers.apns.pushes().map((p) => p.status);
    expect(statuses.filter((s) => s === 403).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  });

  it('gives up after one fresh provider token is refused too, logging it loudly once', async () => {
    // Same key id and team, another key: APNs answers InvalidProviderToken to every token.
    const stranger = generateApnsKey({
      keyId: providers.apnsKey.keyId,
      teamId: providers.apnsKey.teamId,
    });
    const keyFile = await writeSecretFile(
      path.join(providers.dir, 'stranger.p8'),
      stranger.privateKeyPem,
    );
    const bus = createInProcessBus();
    const strangerLog = createCaptureLog();
    const other = createPushNotifier({
      bus,
      config: providers.config({ SIPWAKE_APNS_KEY_FILE: keyFile }),
      log: strangerLog,
    });
    other.start();
    try {
      const reply = await bus.request(subjects.push, encodeMessage(PushRequest, call([ios(70)])));
      expect(decodeReply(PushResults, reply.data)).toEqual({
        ok: true,
        value: {
          results: [
            { deviceId: 'ios-70', outcome: 'provider-error', detail: 'InvalidProviderToken' },
          ],
        },
      });
      expect(providers.apns.pushes().map((p) => [p.status, p.reason])).toEqual([
        [403, 'InvalidProviderToken'],
        [403, 'InvalidProviderToken'],
      ]);
      expect(other.stats().apnsTokensSigned).toBe(2);
      const loud = strangerLog.lines.filter((l) => l.level === 'error');
      expect(loud).toEqual([
        expect.objectContaining({
          fields: expect.objectContaining({ code: 'PROVIDER_AUTH_FAILED' }),
        }),
      ]);
    } finally {
      await other.stop();
      await bus.close();
    }
  });

  it('sends a call to Android as a high-priority data message with string values', async () => {
    expect(await push(call([android(1)]))).toEqual([{ deviceId: 'android-1', outcome: 'sent' }]);
    expect(providers.fcm.messages()[0]?.message).toEqual({
      token: 'fcm-token-1',
      data: {
        type: 'call',
        selector,
        host: 's-a.sip.example.test',
        callId: 'call-1@upstream',
        callerUri: 'sip:bob@example.test',
        callerName: 'Bob',
        title: 'Incoming call',
        body: 'Bob',
      },
      android: { priority: 'HIGH', ttl: '30s', collapse_key: expect.stringMatching(/^call-/) },
    });
  });

  it('maps FCM answers: UNREGISTERED, INVALID_ARGUMENT, QUOTA_EXCEEDED retried, UNAVAILABLE', async () => {
    const { fcm } = providers;
    fcm.answerToken('fcm-token-11', { status: 404, errorCode: 'UNREGISTERED' });
    fcm.answerToken('fcm-token-12', { status: 400, errorCode: 'INVALID_ARGUMENT' });
    fcm.answerToken('fcm-token-13', { status: 503, errorCode: 'UNAVAILABLE' });
    fcm.answerToken('fcm-token-14', { status: 429, errorCode: 'QUOTA_EXCEEDED', retryAfterS: 120 });
    const results = await push(call([11, 12, 13, 14].map(android)));
    expect(results).toEqual([
      { deviceId: 'android-11', outcome: 'unregistered', detail: 'UNREGISTERED' },
      { deviceId: 'android-12', outcome: 'bad-token', detail: 'INVALID_ARGUMENT' },
      { deviceId: 'android-13', outcome: 'provider-error', detail: 'UNAVAILABLE' },
      {
        deviceId: 'android-14',
        outcome: 'throttled',
        detail: 'QUOTA_EXCEEDED',
        retryAfterMs: 120_000,
      },
    ]);
    fcm.answerNext({ status: 429, errorCode: 'QUOTA_EXCEEDED', retryAfterS: 0 });
    expect(await push(call([android(15)]))).toEqual([{ deviceId: 'android-15', outcome: 'sent' }]);
  });

  it('gets a new access token once FCM refuses the old one (401)', async () => {
    await push(call([android(20)]));
    const grants = providers.fcm.grants();
    providers.fcm.revokeAccessTokens();
    expect(await push(call([android(21), android(22)]))).toEqual([
      { deviceId: 'android-21', outcome: 'sent' },
      { deviceId: 'android-22', outcome: 'sent' },
    ]);
    expect(providers.fcm.grants()).toBe(grants + 1);
  });

  it('runs concurrent pushes as streams of one HTTP/2 session per provider', async () => {
    const before = { apns: providers.apns.sessions(), conns: notifier.stats().connections };
    const requests = Array.from({ length: 40 }, (_, i) =>
      push(call([ios(100 + i), android(100 + i)])),
    );
    const results = (await Promise.all(requests)).flat();
    expect(results.every((r) => r.outcome === 'sent')).toBe(true);
    expect(providers.apns.sessions()).toBe(before.apns);
    expect(notifier.stats().connections).toEqual(before.conns);
    expect(providers.apns.maxConcurrentStreams()).toBeGreaterThan(1);
  });

  it('opens a new session after the provider says GOAWAY', async () => {
    await push(call([ios(40)]));
    const sessions = providers.apns.sessions();
    providers.apns.goAway();
    expect(await push(call([ios(41)]))).toEqual([{ deviceId: 'ios-41', outcome: 'sent' }]);
    expect(providers.apns.sessions()).toBe(sessions + 1);
  });

  it('answers an invalid request INVALID_REQUEST, logs why and sends nothing', async () => {
    const bad = { ...call([ios(50)]), selector: 'not-a-selector' };
    const reply = await client.request(subjects.push, Buffer.from(JSON.stringify(bad)), {
      timeoutMs: 5000,
    });
    const decoded = decodeReply(PushResults, reply.data);
    expect(decoded).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', retryable: false },
    });
    expect(providers.apns.pushes()).toHaveLength(0);
    expect(log.lines.some((l) => l.message === 'push request refused' && l.level === 'warn')).toBe(
      true,
    );
  });

  it('traces each push under the span of the request that asked for it', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await push(call([ios(60)]), { traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    const spans = tracing.exporter
      .getFinishedSpans()
      .filter((s) => s.spanContext().traceId === traceId);
    const request = spans.find((s) => s.name === 'push.request');
    const send = spans.find((s) => s.name === 'push.send');
    expect(request?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(send?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(send?.attributes).toMatchObject({ 'push.provider': 'apns', 'push.outcome': 'sent' });
  });

  it('never logs a device token, a provider token, an access token or a key', () => {
    const text = log.text();
    expect(text).not.toContain(hex(1));
    expect(text).not.toContain(hex(1001));
    expect(text).not.toContain('fcm-token-');
    expect(text).not.toContain('ya29.');
    expect(text).not.toContain('eyJ');
    expect(text).not.toContain('PRIVATE KEY');
  });
});
