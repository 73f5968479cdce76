import type { TSchema } from '@sinclair/typebox';
import { checkMessage, decodeMessage, encodeMessage } from '../codec.js';
import { ContractError } from '../errors.js';
import { InstanceState, PushOutcome, PushType } from '../states.js';
import { ErrorReply } from './common.js';
import { Drain, Heartbeat, ShardMapChanged } from './control.js';
import { PushRequest, PushResults } from './push.js';
import { RouterSend, RouterSendResult } from './router.js';
import { DeviceEvent, InstanceChange, SipForward, SipForwardAck } from './shard.js';
import { CheckpointAck, CheckpointBatch, CheckpointRow, LoadPage, LoadRequest } from './state.js';

const selector = '628bef098cd19b085f0eb48256f504f34142c01a';
const invite = Buffer.from('INVITE sip:x@y SIP/2.0\r\n\r\n').toString('base64');
const row = {
  selector,
  status: 'registering',
  callId: null,
  cseq: null,
  expiresAt: null,
  lastCode: null,
  lastAt: null,
  version: 0,
};

/** One valid sample per schema, and one change that must make it fail at the named path. */
const samples: [string, TSchema, Record<string, unknown>, string, unknown][] = [
  [
    'InstanceChange',
    InstanceChange,
    { change: 'created', selector, version: 1 },
    '/change',
    'made',
  ],
  [
    'DeviceEvent presence',
    DeviceEvent,
    { type: 'presence', selector, deviceId: 'd1', presence: 'foreground', at: 5 },
    '/presence',
    'asleep',
  ],
  [
    'SipForward',
    SipForward,
    {
      selector,
      message: invite,
      transport: {
        protocol: 'udp',
        source: { address: '192.0.2.1', port: 5060 },
        local: { address: '::1', port: 5060 },
        connectionId: null,
      },
      routerId: 'router-1',
      receivedAt: 1_700_000_000_000,
    },
    '/message',
    'not base64!',
  ],
  [
    'RouterSend',
    RouterSend,
    { message: invite, target: { protocol: 'tls', address: 'pbx.example.com', port: 5061 } },
    '/target/protocol',
    'sctp',
  ],
  ['RouterSendResult', RouterSendResult, { status: 'sent', connectionId: 'c-1' }, '/status', 'ok'],
  ['SipForwardAck', SipForwardAck, { accepted: true, shard: 'shard-1' }, '/accepted', false],
  [
    'PushRequest',
    PushRequest,
    {
      type: 'missed-call',
      selector,
      callId: 'abc@pbx',
      caller: { uri: 'sip:bob@example.com', displayName: 'Bob' },
      host: 's-6.sip.example.net',
      devices: [
        {
          deviceId: 'd1',
          provider: 'apns',
          token: 'aa',
          voipToken: 'bb',
          appId: 'app',
          platform: 'ios',
        },
      ],
    },
    '/devices',
    [],
  ],
  [
    'PushResults',
    PushResults,
    { results: [{ deviceId: 'd1', outcome: 'throttled', retryAfterMs: 30_000 }] },
    '/results/0/outcome',
    'later',
  ],
  [
    'CheckpointBatch',
    CheckpointBatch,
    { shard: 'shard-a', batchId: 'b', rows: [row] },
    '/shard',
    'a.b',
  ],
  ['CheckpointAck', CheckpointAck, { batchId: 'b', committed: 1 }, '/committed', -1],
  ['LoadRequest', LoadRequest, { prefixes: ['4/2', 'c'], limit: 500 }, '/prefixes/0', '4/2/1'],
  [
    'LoadPage',
    LoadPage,
    {
      instances: [
        {
          selector,
          version: 2,
          mode: 'takeover',
          account: {
            username: 'alice',
            authUsername: 'alice',
            domain: 'example.com',
            registrar: null,
            outboundProxy: 'sip:proxy.example.com;lr',
            transport: 'tcp',
            expiresSeconds: 600,
            passwordSealed: 'k1:sealed',
          },
          devices: [
            {
              deviceId: 'd1',
              appId: 'app',
              platform: 'android',
              provider: 'fcm',
              token: 't',
              voipToken: null,
              topic: null,
              presence: 'background',
              lastSeenAt: 3,
            },
          ],
          lastSeenAt: 4,
          registration: { ...row, status: 'registered', callId: 'c@sw', cseq: 2, lastCode: 200 },
        },
      ],
      nextCursor: null,
    },
    '/nextCursor',
    '',
  ],
  [
    'ShardMapChanged',
    ShardMapChanged,
    {
      version: 4,
      shards: [
        { shard: 'a', prefixes: ['0/1'] },
        { shard: 'b', prefixes: ['8/1'] },
      ],
    },
    '/version',
    1.5,
  ],
  [
    'Heartbeat',
    Heartbeat,
    { shard: 'a', status: 'active', prefixes: ['0/1'], instances: 10, at: 1, leaseMs: 5000 },
    '/leaseMs',
    0,
  ],
  ['Drain', Drain, { shard: 'a', reason: 'SIGTERM', at: 1 }, '/at', -1],
  [
    'ErrorReply',
    ErrorReply,
    { error: { code: 'DB_DOWN', message: 'PostgreSQL unreachable', retryable: true } },
    '/error',
    'DB_DOWN',
  ],
];

describe('message schemas', () => {
  it.each(samples)('%s: a valid sample passes both ways', (_name, schema, sample) => {
    expect(decodeMessage(schema, encodeMessage(schema, sample))).toEqual(sample);
  });

  it.each(samples)('%s: a bad field is refused at its path', (_name, schema, sample, path, bad) => {
    const [first, ...rest] = path.slice(1).split('/');
    const broken = JSON.parse(JSON.stringify(sample)) as Record<string, unknown>;
    let target: Record<string, unknown> = broken;
    const keys = [first!, ...rest];
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[keys[keys.length - 1]!] = bad;
    try {
      checkMessage(schema, broken);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ContractError);
      expect((error as ContractError).errors.map((e) => e.path)).toContain(path);
    }
  });

  it('accepts every word of the as-const objects where a schema uses them', () => {
    for (const status of Object.values(InstanceState)) {
      expect(checkMessage(CheckpointRow, { ...row, status }).status).toBe(status);
    }
    for (const outcome of Object.values(PushOutcome)) {
      const results = { results: [{ deviceId: 'd', outcome }] };
      expect(checkMessage(PushResults, results)).toEqual(results);
    }
    const push = samples.find(([name]) => name === 'PushRequest')![2];
    for (const type of Object.values(PushType)) {
      expect(checkMessage(PushRequest, { ...push, type }).type).toBe(type);
    }
  });

  it('keeps the CSeq below 2**31 (RFC 3261 §8.1.1.5)', () => {
    expect(() => checkMessage(CheckpointRow, { ...row, cseq: 2 ** 31 })).toThrow(ContractError);
    expect(checkMessage(CheckpointRow, { ...row, cseq: 2 ** 31 - 1 }).cseq).toBe(2 ** 31 - 1);
  });
});
