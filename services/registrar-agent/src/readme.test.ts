// The README's error-code and configuration tables match the code.
import { configTableDifferences } from '@sipwake/config';
import { readPackageReadme } from '@sipwake/testkit';
import { configSchema } from './config.js';
import { AgentError, AgentErrorCode } from './errors.js';

const readme = (): string => readPackageReadme(__dirname);

describe('README', () => {
  it('lists every error code, and only those', () => {
    const section = (readme().split('## Error codes')[1] ?? '').split('\n## ')[0] ?? '';
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` /gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.values(AgentErrorCode).sort());
  });

  it('has the configuration table of the schema', () => {
    expect(configTableDifferences(readme(), configSchema)).toEqual([]);
  });
});

describe('AgentError', () => {
  it('carries its code, the selector and whether a retry can succeed', () => {
    const error = new AgentError(AgentErrorCode.PushFailed, 'x', {
      retryable: true,
      selector: 's',
    });
    expect(error).toMatchObject({
      code: 'PUSH_FAILED',
      retryable: true,
      selector: 's',
      name: 'AgentError',
    });
    expect(new AgentError(AgentErrorCode.LoadFailed, 'y').retryable).toBe(false);
  });
});
