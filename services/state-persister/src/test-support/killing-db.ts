// A Database that lets a test act inside a transaction after its statements ran and before its
// COMMIT ("mid-batch"): the hook may kill the connection. `loseCommit` plays the connection
// dying while COMMIT's answer is on its way: the transaction committed, yet the caller gets
// UNAVAILABLE. It also records what each transaction wrote (the upsert's selector and version
// arrays) so the test can find the batch it hit.
import { DbError, DbErrorCode } from '@sipwake/db';
import type { Database, Queryable } from '@sipwake/db';

export interface TransactionSeen {
  readonly number: number;
  readonly selectors: readonly string[];
  readonly versions: readonly number[];
}

export type MidTransactionHook = (tx: Queryable, seen: TransactionSeen) => Promise<void>;

export interface KillableHooks {
  readonly midTransaction: MidTransactionHook;
  /** True: report this committed transaction as failed (its COMMIT answer "lost"). */
  readonly loseCommit?: (seen: TransactionSeen) => boolean;
}

export function killableDatabase(db: Database, hooks: KillableHooks): Database {
  let count = 0;
  return {
    kind: db.kind,
    query: db.query.bind(db),
    exec: db.exec.bind(db),
    ping: db.ping.bind(db),
    close: async () => {},
    transaction: async (fn) => {
      count += 1;
      const number = count;
      let selectors: readonly string[] = [];
      let versions: readonly number[] = [];
      const value = await db.transaction(async (tx) => {
        const watched: Queryable = {
          exec: tx.exec.bind(tx),
          query: (sql, params) => {
            if (params !== undefined && Array.isArray(params[0])) {
              selectors = params[0] as string[];
              versions = (params[7] as number[] | undefined) ?? [];
            }
            return tx.query(sql, params);
          },
        };
        const result = await fn(watched);
        await hooks.midTransaction(tx, { number, selectors, versions });
        return result;
      });
      if (hooks.loseCommit?.({ number, selectors, versions }) === true) {
        throw new DbError(DbErrorCode.Unavailable, 'connection lost while COMMIT was answered');
      }
      return value;
    },
  };
}
