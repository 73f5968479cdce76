// The README's error-code and configuration tables match the code.
import { configTableDifferences } from '@sipwake/config';
import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { configSchema } from './config.js';
import { PushError, PushErrorCode } from './errors.js';

const readme = (): string => readPackageReadme(__dirname);

describe('README', () => {
  it('lists every error code, in order, and only those', () => {
    const codes = documentedCodes(readme(), { section: 'Error codes' }).map((row) => row.code);
    expect(codes).toEqual(Object.values(PushErrorCode));
  });

  it('has the configuration table of the schema', () => {
    expect(configTableDifferences(readme(), configSchema)).toEqual([]);
  });
});

describe('PushError', () => {
  it('carries its code and the configuration key it is about', () => {
    const error = new PushError(PushErrorCode.ApnsKeyInvalid, 'x', { key: 'apns.keyFile' });
    expect(error).toMatchObject({
      name: 'PushError',
      code: 'APNS_KEY_INVALID',
      key: 'apns.keyFile',
    });
  });
});
