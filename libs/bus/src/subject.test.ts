import { checkPublishSubject, checkSubscribeSubject, subjectMatches } from './subject.js';

describe('subjectMatches', () => {
  // [pattern, subject, matches] — nats-server's rules.
  const vectors: [string, string, boolean][] = [
    ['sw.push', 'sw.push', true],
    ['sw.push', 'sw.pushx', false],
    ['sw.*', 'sw.push', true],
    ['sw.*', 'sw', false],
    ['sw.*', 'sw.shard.4', false],
    ['sw.shard.*.*.sip', 'sw.shard.4.2.sip', true],
    ['sw.shard.*.*.sip', 'sw.shard.4.sip', false],
    ['sw.shard.4.>', 'sw.shard.4.2.sip', true],
    ['sw.shard.4.>', 'sw.shard.4', false],
    ['sw.shard.4.>', 'sw.shard.5.2.sip', false],
    ['>', 'anything.at.all', true],
    ['*', 'one', true],
    ['*', 'one.two', false],
    ['*.>', 'one', false],
    ['*.>', 'one.two', true],
    ['a*.b', 'a*.b', true],
    ['a*.b', 'ax.b', false],
  ];
  it.each(vectors)('%s against %s → %s', (pattern, subject, expected) => {
    expect(subjectMatches(pattern, subject)).toBe(expected);
  });
});

describe('subject checks', () => {
  it('accepts what NATS accepts', () => {
    expect(() => checkPublishSubject('sw.shard.4.2.sip')).not.toThrow();
    expect(() => checkPublishSubject('_INBOX.abc.1')).not.toThrow();
    expect(checkSubscribeSubject('sw.shard.*.>')).toEqual(['sw', 'shard', '*', '>']);
  });

  it.each(['', 'a..b', 'a.', '.a', 'a b', 'a\nb', 'a.*', '>'])(
    'refuses to publish to %j',
    (subject) => {
      expect(() => checkPublishSubject(subject)).toThrow(
        expect.objectContaining({ code: 'BAD_SUBJECT', subject }),
      );
    },
  );

  it.each(['', 'a..b', 'a.>.b', '>.a', 'a b'])('refuses to subscribe to %j', (subject) => {
    expect(() => checkSubscribeSubject(subject)).toThrow(
      expect.objectContaining({ code: 'BAD_SUBJECT' }),
    );
  });
});
