import {
  isSecretKey,
  maskAttributes,
  redactedValue,
  redactPaths,
  safeAttributes,
  secretKeys,
} from './redact.js';

describe('the redaction list', () => {
  it('names passwords, tokens and push keys, by the last dotted segment in any case', () => {
    for (const key of [
      'password',
      'account.password',
      'sip.Password',
      'voipToken',
      'device.token',
      'apnsKey',
    ]) {
      expect([key, isSecretKey(key)]).toEqual([key, true]);
    }
    for (const key of ['username', 'account.domain', 'tokenCount', 'passwordless.x', 'selector']) {
      expect([key, isSecretKey(key)]).toEqual([key, false]);
    }
  });

  it('flattens attributes, masks secret keys and drops what cannot be an attribute', () => {
    const attributes = safeAttributes({
      selector: '4/2',
      account: { username: 'alice', password: 'hunter2', domain: 'example.org' },
      device: { voipToken: 'abcd', platform: 'ios' },
      expires: 3600,
      tags: ['a', 'b'],
      callback: () => 1,
      nothing: null,
      authorization: 'Digest response="x"',
    });
    expect(attributes).toEqual({
      selector: '4/2',
      'account.username': 'alice',
      'account.password': redactedValue,
      'account.domain': 'example.org',
      'device.voipToken': redactedValue,
      'device.platform': 'ios',
      expires: 3600,
      tags: ['a', 'b'],
      authorization: redactedValue,
    });
    expect(JSON.stringify(attributes)).not.toContain('hunter2');
  });

  it('masks already-flat attributes and keeps the object when nothing is secret', () => {
    const clean = { a: 1 };
    expect(maskAttributes(clean)).toBe(clean);
    expect(maskAttributes({ 'sip.password': 'x', a: 1 })).toEqual({
      'sip.password': redactedValue,
      a: 1,
    });
  });

  it('writes pino paths at every depth down to three levels, quoting keys that need it', () => {
    const paths = redactPaths(['password', 'proxy-authorization']);
    expect(paths).toEqual([
      'password',
      '*.password',
      '*.*.password',
      '*.*.*.password',
      '["proxy-authorization"]',
      '*["proxy-authorization"]',
      '*.*["proxy-authorization"]',
      '*.*.*["proxy-authorization"]',
    ]);
    expect(redactPaths()).toHaveLength(secretKeys.length * 4);
  });
});
