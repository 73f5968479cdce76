import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrefix } from './prefix.js';
import { QueueGroup, subjects, subjectTable } from './subjects.js';

const selector = '4a5e151b242ea90b7fa5a692b1ede4e78a7d04b5';

/** The README of this package, found from the working directory (the package or the root). */
function readme(): string {
  for (const dir of [process.cwd(), join(process.cwd(), 'libs', 'contracts')]) {
    try {
      return readFileSync(join(dir, 'README.md'), 'utf8');
    } catch {
      // Try the next place.
    }
  }
  throw new Error('contracts README.md not found from ' + process.cwd());
}

describe('subjects', () => {
  it('puts the first two selector digits into shard-bound subjects as tokens', () => {
    expect(subjects.shardSip(selector)).toBe('sw.shard.4.a.sip');
    expect(subjects.shardInstance(selector)).toBe('sw.shard.4.a.instance');
    expect(subjects.shardDevice(selector)).toBe('sw.shard.4.a.device');
  });

  it('refuses a shard subject for text that is not a selector', () => {
    expect(() => subjects.shardSip('4a.>')).toThrow(
      expect.objectContaining({ code: 'BAD_SELECTOR' }),
    );
  });

  it('subscribes a shard to its prefix, per kind or for every kind', () => {
    expect(subjects.shardSubscriptions(parsePrefix('4/2'), 'sip')).toEqual([
      'sw.shard.4.*.sip',
      'sw.shard.5.*.sip',
      'sw.shard.6.*.sip',
      'sw.shard.7.*.sip',
    ]);
    expect(subjects.shardSubscriptions(parsePrefix('4/2'))).toEqual([
      'sw.shard.4.>',
      'sw.shard.5.>',
      'sw.shard.6.>',
      'sw.shard.7.>',
    ]);
    expect(subjects.shardSubscriptions(parsePrefix('4a/7'))).toEqual([
      'sw.shard.4.a.>',
      'sw.shard.4.b.>',
    ]);
    expect(subjects.shardSubscriptions(parsePrefix('0/0'))).toEqual(['sw.shard.>']);
    expect(subjects.shardSubscriptions(parsePrefix('0/0'), 'device')).toEqual([
      'sw.shard.*.*.device',
    ]);
  });

  it('builds router, push, state and control subjects', () => {
    expect(subjects.routerSip('router-1')).toBe('sw.router.router-1.sip');
    expect(subjects.routerAny).toBe('sw.router.sip');
    expect(subjects.push).toBe('sw.push');
    expect(subjects.stateCheckpoint).toBe('sw.state.checkpoint');
    expect(subjects.stateLoad).toBe('sw.state.load');
    expect(subjects.stateMessage).toBe('sw.state.message');
    expect(subjects.stateCallRecord).toBe('sw.state.call-record');
    expect(subjects.stateDeadToken).toBe('sw.state.dead-token');
    expect(subjects.stateDeviceToken).toBe('sw.state.device-token');
    expect(subjects.stateExpire).toBe('sw.state.expire');
    expect(subjects.control.shardMap).toBe('sw.control.shard-map');
    expect(subjects.control.heartbeat('shard_a')).toBe('sw.control.heartbeat.shard_a');
    expect(subjects.control.heartbeatAny).toBe('sw.control.heartbeat.*');
    expect(subjects.control.drain('shard_a')).toBe('sw.control.drain.shard_a');
    expect(subjects.control.all).toBe('sw.control.>');
  });

  it.each(['', 'a.b', 'a*', '>', 'a b', 'x'.repeat(65)])(
    'refuses %j as a router id or shard name (one token)',
    (id) => {
      expect(() => subjects.routerSip(id)).toThrow(
        expect.objectContaining({ code: 'BAD_SUBJECT_TOKEN' }),
      );
      expect(() => subjects.control.drain(id)).toThrow(
        expect.objectContaining({ code: 'BAD_SUBJECT_TOKEN' }),
      );
    },
  );

  it('names the queue groups', () => {
    expect(QueueGroup).toEqual({
      Router: 'router',
      PushNotifier: 'push-notifier',
      StatePersister: 'state-persister',
    });
  });

  it('the table agrees with the builders', () => {
    const built: Record<string, string> = {
      'shardSip(selector)': subjects.shardSip(selector),
      'shardInstance(selector)': subjects.shardInstance(selector),
      'shardDevice(selector)': subjects.shardDevice(selector),
      'routerSip(routerId)': subjects.routerSip('ID'),
      routerAny: subjects.routerAny,
      push: subjects.push,
      stateCheckpoint: subjects.stateCheckpoint,
      stateLoad: subjects.stateLoad,
      stateMessage: subjects.stateMessage,
      stateCallRecord: subjects.stateCallRecord,
      stateDeadToken: subjects.stateDeadToken,
      stateDeviceToken: subjects.stateDeviceToken,
      stateExpire: subjects.stateExpire,
      'control.shardMap': subjects.control.shardMap,
      'control.heartbeat(shard)': subjects.control.heartbeat('SHARD'),
      'control.drain(shard)': subjects.control.drain('SHARD'),
    };
    for (const row of subjectTable) {
      const expected = row.subject
        .replace('<d0>.<d1>', '4.a')
        .replace('<id>', 'ID')
        .replace('<shard>', 'SHARD');
      expect([row.builder, built[row.builder]]).toEqual([row.builder, expected]);
    }
    expect(subjectTable).toHaveLength(Object.keys(built).length);
  });

  it('the README repeats the table', () => {
    const documented = readme()
      .split('\n')
      .map((line) => /^\|\s*`(sw\.[^`]+)`\s*\|\s*`([^`]+)`\s*\|\s*([^|]*?)\s*\|/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2], m[3] === '—' ? null : m[3]!.replace(/`/g, '')]);
    expect(documented).toEqual(subjectTable.map((r) => [r.subject, r.builder, r.queue]));
  });
});
