import { decodeMessage, encodeMessage } from '../codec.js';
import { ContractError } from '../errors.js';
import { CallRecord, DeadToken, DeviceToken, RecordAck, StoreMessage } from './records.js';

const selector = '628bef098cd19b085f0eb48256f504f34142c01a';
const message = {
  id: '0b6f3f1e-5a55-4f39-9d0e-3c9b3f0e8a11',
  selector,
  from: 'sip:bob@example.com',
  to: 'sip:alice@example.com',
  contentType: 'text/plain',
  body: Buffer.from('hello').toString('base64'),
  receivedAt: 1_800_000_000_000,
};
const call = {
  selector,
  callId: 'a84b4c76e66710@pc33',
  direction: 'inbound',
  caller: 'sip:bob@example.com',
  startedAt: 1_800_000_000_000,
  answeredAt: null,
  endedAt: 1_800_000_120_000,
  outcome: 'missed',
  pushStatus: 'Push-Notification-Sent',
};
const dead = { selector, deviceId: 'd1', token: 'f00d', reason: 'unregistered' };
const fresh = { selector, deviceId: 'd1', provider: 'apns', token: 'beef', at: 1_800_000_000_000 };

function failingPath(schema: Parameters<typeof decodeMessage>[0], value: unknown): string[] {
  try {
    decodeMessage(schema, Buffer.from(JSON.stringify(value)), { subject: 's' });
  } catch (error) {
    if (error instanceof ContractError) return error.errors.map((e) => e.path);
    throw error;
  }
  return [];
}

describe('record schemas', () => {
  it.each([
    ['StoreMessage', StoreMessage, message],
    ['CallRecord', CallRecord, call],
    ['DeadToken', DeadToken, dead],
    ['DeviceToken', DeviceToken, fresh],
    ['DeviceToken with a VoIP token', DeviceToken, { ...fresh, voipToken: 'cafe' }],
    ['RecordAck', RecordAck, { outcome: 'duplicate' }],
  ] as const)('%s round-trips a valid value', (_name, schema, value) => {
    const data = encodeMessage(schema, value as never);
    expect(decodeMessage(schema, data, { subject: 's' })).toEqual(value);
  });

  it('names the failing field', () => {
    expect(failingPath(StoreMessage, { ...message, id: 'not-a-uuid' })).toContain('/id');
    expect(failingPath(StoreMessage, { ...message, body: 'not base64!' })).toContain('/body');
    expect(failingPath(CallRecord, { ...call, outcome: 'lost' })).toContain('/outcome');
    expect(failingPath(CallRecord, { ...call, direction: 'sideways' })).toContain('/direction');
    expect(failingPath(DeadToken, { ...dead, token: '' })).toContain('/token');
    expect(failingPath(DeadToken, { ...dead, reason: 'throttled' })).toContain('/reason');
    expect(failingPath(DeviceToken, { ...fresh, provider: 'webpush' })).toContain('/provider');
    expect(failingPath(DeviceToken, { ...fresh, voipToken: '' })).toContain('/voipToken');
    expect(failingPath(DeviceToken, { ...fresh, at: -1 })).toContain('/at');
  });
});
