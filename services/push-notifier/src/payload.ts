// One push request and one device → what goes to the provider: the APNs headers and JSON
// payload, or the FCM v1 message. Calls wake the app at once (APNs VoIP push to the `.voip`
// topic with priority 10 and a short expiration; FCM high-priority data message with a short
// TTL); the other types are alert pushes whose words come from the templates.
import { createHash, randomUUID } from 'node:crypto';
import { PushType } from '@sipwake/contracts';
import type { PushDevice, PushRequest } from '@sipwake/contracts';
import { renderAlert, type Templates } from './templates.js';

export interface PayloadSettings {
  /** How long a call push may wait at the provider (a late call push only confuses). */
  readonly callTtlMs: number;
  /** How long any other push may wait at the provider. */
  readonly alertTtlMs: number;
}

export interface ApnsPush {
  readonly token: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
}

/** The facts every push carries, as the app reads them (string values: FCM data is strings). */
export function pushFacts(request: PushRequest): Record<string, string> {
  return {
    type: request.type,
    selector: request.selector,
    host: request.host,
    ...(request.callId === undefined ? {} : { callId: request.callId }),
    ...(request.caller === undefined ? {} : { callerUri: request.caller.uri }),
    ...(request.caller?.displayName === undefined
      ? {}
      : { callerName: request.caller.displayName }),
  };
}

function alertFor(request: PushRequest, appId: string, templates: Templates) {
  const callerUri = request.caller?.uri ?? '';
  const caller = request.caller?.displayName || callerUri.replace(/^sips?:/, '') || 'unknown';
  return renderAlert(templates, appId, request.type, {
    caller: caller.slice(0, 128),
    callerUri: callerUri.slice(0, 128),
    host: request.host,
    type: request.type,
  });
}

/** Pushes about one call replace each other on the device; warnings replace older warnings. */
function collapseId(request: PushRequest): string | undefined {
  const digest = (text: string): string =>
    createHash('sha256').update(text).digest('hex').slice(0, 32);
  if (request.callId !== undefined) return `call-${digest(request.callId)}`;
  if (request.type === PushType.Warning || request.type === PushType.Expired) {
    return `account-${request.selector.slice(0, 16)}`;
  }
  return undefined;
}

const isCall = (request: PushRequest): boolean => request.type === PushType.Call;

export function apnsPush(
  request: PushRequest,
  device: PushDevice,
  templates: Templates,
  settings: PayloadSettings,
  nowMs: number,
): ApnsPush {
  const bundle = (device.topic ?? device.appId).replace(/\.voip$/, '');
  const facts = pushFacts(request);
  const collapse = collapseId(request);
  const common = {
    'apns-id': randomUUID(),
    ...(collapse === undefined ? {} : { 'apns-collapse-id': collapse }),
  };
  if (isCall(request) && device.voipToken !== undefined) {
    return {
      token: device.voipToken,
      headers: {
        ...common,
        'apns-push-type': 'voip',
        'apns-topic': `${bundle}.voip`,
        'apns-priority': '10',
        'apns-expiration': String(Math.floor((nowMs + settings.callTtlMs) / 1000)),
      },
      payload: JSON.stringify({ sipwake: facts }),
    };
  }
  const alert = alertFor(request, device.appId, templates);
  const urgent = request.type !== PushType.Warning && request.type !== PushType.Expired;
  const ttlMs = isCall(request) ? settings.callTtlMs : settings.alertTtlMs;
  return {
    token: device.token,
    headers: {
      ...common,
      'apns-push-type': 'alert',
      'apns-topic': bundle,
      'apns-priority': urgent ? '10' : '5',
      'apns-expiration': String(Math.floor((nowMs + ttlMs) / 1000)),
    },
    payload: JSON.stringify({
      aps: {
        alert,
        ...(isCall(request) || request.type === PushType.Message ? { sound: 'default' } : {}),
        ...(request.callId === undefined ? {} : { 'thread-id': collapse }),
      },
      sipwake: facts,
    }),
  };
}

/** FCM v1 `message` for one device: a data message (the app renders it), title/body included. */
export function fcmMessage(
  request: PushRequest,
  device: PushDevice,
  templates: Templates,
  settings: PayloadSettings,
): Record<string, unknown> {
  const alert = alertFor(request, device.appId, templates);
  const urgent = isCall(request) || request.type === PushType.AnsweredElsewhere;
  const ttlMs = isCall(request) ? settings.callTtlMs : settings.alertTtlMs;
  const collapse = collapseId(request);
  return {
    token: device.token,
    data: { ...pushFacts(request), title: alert.title, body: alert.body },
    android: {
      priority: urgent ? 'HIGH' : 'NORMAL',
      ttl: `${Math.max(0, Math.round(ttlMs / 1000))}s`,
      ...(collapse === undefined ? {} : { collapse_key: collapse }),
    },
  };
}
