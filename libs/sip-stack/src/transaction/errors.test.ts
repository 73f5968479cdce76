import { documentedCodes, readPackageReadme } from '@sipwake/testkit';
import { TransactionError, TransactionErrorCodes } from './errors.js';
import type { TransactionErrorCode } from './errors.js';

/** Code → SIP status, as the README beside this file documents them. */
function readmeRows(): Map<string, string> {
  const readme = readPackageReadme(__dirname, 'src/transaction/README.md');
  return new Map(
    documentedCodes(readme, { section: 'Error codes' }).map(({ code, columns }) => [
      code,
      columns[0]!,
    ]),
  );
}

describe('transaction error codes', () => {
  it('are the codes README.md documents, with the same SIP status', () => {
    const documented = readmeRows();
    const coded = new Map(
      Object.entries(TransactionErrorCodes).map(([code, facts]) => [code, String(facts.sipStatus)]),
    );
    expect(documented).toEqual(coded);
  });

  it('carry their code, SIP status, retryability, timer and cause', () => {
    const cause = new Error('ECONNREFUSED');
    const error = new TransactionError('TRANSPORT_FAILED', 'failed', { transactionId: 't', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'TransactionError',
      code: 'TRANSPORT_FAILED',
      sipStatus: 503,
      retryable: true,
      transactionId: 't',
      cause,
    });
    const timeout = new TransactionError('TRANSACTION_TIMEOUT', 'late', { timer: 'timerB' });
    expect(timeout).toMatchObject({ sipStatus: 408, timer: 'timerB' });
    const code: TransactionErrorCode = 'BAD_OPTIONS';
    expect(new TransactionError(code, 'x').retryable).toBe(false);
  });
});
