// Every subject sipwake uses, built here and nowhere else (DESIGN.md "Subjects").
// `subjectTable` is the one table: README.md repeats it and a test keeps the two equal.
import { ContractError, ContractErrorCode } from './errors.js';
import type { Prefix } from './prefix.js';
import { assertSelector } from './selector.js';
import { selectorTokens, subjectTokensFor } from './tokens.js';

/** What a shard-bound subject carries: its last token. */
export const ShardSubjectKind = {
  Sip: 'sip',
  Instance: 'instance',
  Device: 'device',
} as const;
export type ShardSubjectKind = (typeof ShardSubjectKind)[keyof typeof ShardSubjectKind];

/** Queue groups: one member of the group gets each message. */
export const QueueGroup = {
  Router: 'router',
  PushNotifier: 'push-notifier',
  StatePersister: 'state-persister',
} as const;
export type QueueGroup = (typeof QueueGroup)[keyof typeof QueueGroup];

export interface SubjectRow {
  readonly subject: string;
  readonly builder: string;
  readonly queue: QueueGroup | null;
  readonly listener: string;
  readonly message: string;
  readonly reply: string | null;
}

export const subjectTable: readonly SubjectRow[] = [
  {
    subject: 'sw.shard.<d0>.<d1>.sip',
    builder: 'shardSip(selector)',
    queue: null,
    listener: 'owning agent',
    message: 'SipForward',
    // Out-of-dialog requests come as bus requests: no responders means no shard (503).
    reply: 'SipForwardAck',
  },
  {
    subject: 'sw.shard.<d0>.<d1>.instance',
    builder: 'shardInstance(selector)',
    queue: null,
    listener: 'owning agent',
    message: 'InstanceChange',
    reply: null,
  },
  {
    subject: 'sw.shard.<d0>.<d1>.device',
    builder: 'shardDevice(selector)',
    queue: null,
    listener: 'owning agent',
    message: 'DeviceEvent',
    reply: null,
  },
  {
    subject: 'sw.router.<id>.sip',
    builder: 'routerSip(routerId)',
    queue: null,
    listener: 'that router',
    message: 'RouterSend',
    reply: 'RouterSendResult',
  },
  {
    subject: 'sw.router.sip',
    builder: 'routerAny',
    queue: QueueGroup.Router,
    listener: 'any router',
    message: 'RouterSend',
    reply: 'RouterSendResult',
  },
  {
    subject: 'sw.push',
    builder: 'push',
    queue: QueueGroup.PushNotifier,
    listener: 'push-notifier',
    message: 'PushRequest',
    reply: 'PushResults',
  },
  {
    subject: 'sw.state.checkpoint',
    builder: 'stateCheckpoint',
    queue: QueueGroup.StatePersister,
    listener: 'state-persister',
    message: 'CheckpointBatch',
    reply: 'CheckpointAck',
  },
  {
    subject: 'sw.state.load',
    builder: 'stateLoad',
    queue: QueueGroup.StatePersister,
    listener: 'state-persister',
    message: 'LoadRequest',
    reply: 'LoadPage',
  },
  {
    subject: 'sw.state.message',
    builder: 'stateMessage',
    queue: QueueGroup.StatePersister,
    listener: 'state-persister',
    message: 'StoreMessage',
    reply: 'RecordAck',
  },
  {
    subject: 'sw.state.call-record',
    builder: 'stateCallRecord',
    queue: QueueGroup.StatePersister,
    listener: 'state-persister',
    message: 'CallRecord',
    reply: 'RecordAck',
  },
  {
    subject: 'sw.state.dead-token',
    builder: 'stateDeadToken',
    queue: QueueGroup.StatePersister,
    listener: 'state-persister',
    message: 'DeadToken',
    reply: 'RecordAck',
  },
  {
    subject: 'sw.state.device-token',
    builder: 'stateDeviceToken',
    queue: QueueGroup.StatePersister,
    listener: 'state-persister',
    message: 'DeviceToken',
    reply: 'RecordAck',
  },
  {
    subject: 'sw.state.expire',
    builder: 'stateExpire',
    queue: QueueGroup.StatePersister,
    listener: 'state-persister',
    message: 'ExpireInstance',
    reply: 'ExpireAck',
  },
  {
    subject: 'sw.control.shard-map',
    builder: 'control.shardMap',
    queue: null,
    listener: 'everyone',
    message: 'ShardMapChanged',
    reply: null,
  },
  {
    subject: 'sw.control.heartbeat.<shard>',
    builder: 'control.heartbeat(shard)',
    queue: null,
    listener: 'everyone',
    message: 'Heartbeat',
    reply: null,
  },
  {
    subject: 'sw.control.drain.<shard>',
    builder: 'control.drain(shard)',
    queue: null,
    listener: 'that shard',
    message: 'Drain',
    reply: null,
  },
];

const tokenPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** An id that becomes one subject token: no `.`, `*`, `>` or space can split or widen it. */
function token(kind: string, id: string): string {
  if (typeof id !== 'string' || !tokenPattern.test(id)) {
    throw new ContractError(
      ContractErrorCode.BadSubjectToken,
      `${kind} must be 1..64 of [A-Za-z0-9_-]`,
      { input: typeof id === 'string' ? id.slice(0, 64) : String(id) },
    );
  }
  return id;
}

function shard(kind: ShardSubjectKind, selector: string): string {
  return `sw.shard.${selectorTokens(assertSelector(selector))}.${kind}`;
}

/**
 * The subscriptions of a shard owning `prefix`: one subject pattern per `<d0>.<d1>` pattern, for
 * one kind, or for every kind when `kind` is left out (`4/2` → `sw.shard.4.>` … `sw.shard.7.>`).
 */
function shardSubscriptions(prefix: Prefix, kind?: ShardSubjectKind): string[] {
  return subjectTokensFor(prefix).map((tokens) => {
    if (kind !== undefined) return `sw.shard.${tokens}.${kind}`;
    // Trailing `*` tokens and the kind token fold into one `>`.
    const parts = tokens.split('.');
    while (parts[parts.length - 1] === '*') parts.pop();
    return ['sw', 'shard', ...parts, '>'].join('.');
  });
}

export const subjects = Object.freeze({
  shardSip: (selector: string): string => shard(ShardSubjectKind.Sip, selector),
  shardInstance: (selector: string): string => shard(ShardSubjectKind.Instance, selector),
  shardDevice: (selector: string): string => shard(ShardSubjectKind.Device, selector),
  shardSubscriptions,
  routerSip: (routerId: string): string => `sw.router.${token('router id', routerId)}.sip`,
  routerAny: 'sw.router.sip',
  push: 'sw.push',
  stateCheckpoint: 'sw.state.checkpoint',
  stateLoad: 'sw.state.load',
  stateMessage: 'sw.state.message',
  stateCallRecord: 'sw.state.call-record',
  stateDeadToken: 'sw.state.dead-token',
  stateDeviceToken: 'sw.state.device-token',
  stateExpire: 'sw.state.expire',
  control: Object.freeze({
    shardMap: 'sw.control.shard-map',
    heartbeat: (shardName: string): string =>
      `sw.control.heartbeat.${token('shard name', shardName)}`,
    heartbeatAny: 'sw.control.heartbeat.*',
    drain: (shardName: string): string => `sw.control.drain.${token('shard name', shardName)}`,
    all: 'sw.control.>',
  }),
});
