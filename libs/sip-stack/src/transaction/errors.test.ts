import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TransactionError, TransactionErrorCodes } from './errors.js';
import type { TransactionErrorCode } from './errors.js';

/** The README sits beside this file; tests run from the package directory. */
function readmeRows(): Map<string, number> {
  const text = readFileSync(join(process.cwd(), 'src/transaction/README.md'), 'utf8');
  const section = text.slice(text.indexOf('## Error codes'));
  const rows = new Map<string, number>();
  for (const match of section.matchAll(/^\| `([A-Z_]+)` *\| (\d{3}) *\|/gm)) {
    rows.set(match[1]!, Number(match[2]));
  }
  return rows;
}

describe('transaction error codes', () => {
  it('are the codes README.md documents, with the same SIP status', () => {
    const documented = readmeRows();
    const coded = new Map(
      Object.entries(TransactionErrorCodes).map(([code, facts]) => [code, facts.sipStatus]),
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
