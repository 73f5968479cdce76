import type { PushDevice, PushRequest } from '@sipwake/contracts';
import { apnsPush, fcmMessage } from './payload.js';
import { checkTemplates, renderAlert } from './templates.js';

const settings = { callTtlMs: 30_000, alertTtlMs: 3_600_000 };
const now = Date.UTC(2026, 0, 1);
const device: PushDevice = {
  deviceId: 'd1',
  provider: 'apns',
  token: 'a'.repeat(64),
  voipToken: 'b'.repeat(64),
  appId: 'com.example.phone',
  platform: 'ios',
};
const request: PushRequest = {
  type: 'call',
  selector: 'ab'.repeat(20),
  callId: 'c1',
  caller: { uri: 'sip:alice@example.test' },
  host: 'sip.example.test',
  devices: [device],
};

describe('payloads', () => {
  it('a call to a VoIP token goes to the .voip topic of the device topic, expiring soon', () => {
    const push = apnsPush(request, { ...device, topic: 'com.example.other' }, {}, settings, now);
    expect(push.token).toBe('b'.repeat(64));
    expect(push.headers).toMatchObject({
      'apns-topic': 'com.example.other.voip',
      'apns-push-type': 'voip',
      'apns-expiration': String(now / 1000 + 30),
    });
  });

  it('a call to a device without VoIP token is a priority-10 alert with sound', () => {
    const plain: PushDevice = { ...device };
    delete plain.voipToken;
    const push = apnsPush(request, plain, {}, settings, now);
    expect(push.headers).toMatchObject({
      'apns-push-type': 'alert',
      'apns-topic': 'com.example.phone',
    });
    expect(JSON.parse(push.payload).aps).toMatchObject({
      alert: { title: 'Incoming call', body: 'alice@example.test' },
      sound: 'default',
    });
  });

  it('a warning is a priority-5 alert that replaces older warnings of the instance', () => {
    const push = apnsPush(
      { ...request, type: 'warning', callId: undefined } as PushRequest,
      device,
      {},
      settings,
      now,
    );
    expect(push.headers).toMatchObject({
      'apns-priority': '5',
      'apns-collapse-id': `account-${'ab'.repeat(8)}`,
    });
  });

  it('FCM: only string data, NORMAL priority for a message, HIGH for answered-elsewhere', () => {
    const message = fcmMessage({ ...request, type: 'message' }, device, {}, settings);
    expect(Object.values(message['data'] as object).every((v) => typeof v === 'string')).toBe(true);
    expect(message['android']).toMatchObject({ priority: 'NORMAL', ttl: '3600s' });
    const elsewhere = fcmMessage({ ...request, type: 'answered-elsewhere' }, device, {}, settings);
    expect(elsewhere['android']).toMatchObject({ priority: 'HIGH' });
  });
});

describe('templates', () => {
  const templates = checkTemplates({
    'com.example.phone': { call: { title: '{caller} calls', body: 'via {host}' } },
    '*': { message: { title: 'Message', body: 'from {callerUri}' } },
  });
  const values = { caller: 'Bob', callerUri: 'sip:bob@x', host: 'h', type: 'call' };

  it('uses the app template, then the * template, then the default', () => {
    expect(renderAlert(templates, 'com.example.phone', 'call', values)).toEqual({
      title: 'Bob calls',
      body: 'via h',
    });
    expect(renderAlert(templates, 'other', 'message', values)).toEqual({
      title: 'Message',
      body: 'from sip:bob@x',
    });
    expect(renderAlert(templates, 'other', 'expired', values).title).toBe('Calls paused');
  });

  it('substitutes text only: a caller name with braces stays literal', () => {
    const alert = renderAlert(templates, 'com.example.phone', 'call', {
      ...values,
      caller: '{host}${x}',
    });
    expect(alert.title).toBe('{host}${x} calls');
  });

  it('refuses an unknown placeholder, an unknown push type and a non-string text', () => {
    expect(() => checkTemplates({ a: { call: { title: '{password}', body: '' } } })).toThrow(
      expect.objectContaining({ code: 'TEMPLATES_INVALID' }),
    );
    expect(() => checkTemplates({ a: { ring: { title: '', body: '' } } })).toThrow(
      expect.objectContaining({ code: 'TEMPLATES_INVALID' }),
    );
    expect(() => checkTemplates({ a: { call: { title: 1, body: '' } } })).toThrow(
      expect.objectContaining({ code: 'TEMPLATES_INVALID' }),
    );
  });
});
