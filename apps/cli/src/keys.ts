// `sipwake keys …`: the key file of sealed SIP passwords (generate, add, remove) and the
// re-sealing of every instance password under the current key (rotate). Nothing printed here
// holds key material or a password: key ids, counts and selectors only.
import { connectPostgres, type Database } from '@sipwake/db';
import { hasEmbeddedDatabase, openEmbeddedDatabase } from './run/infrastructure.js';
import {
  addKey,
  generateKeyFile,
  instancePasswordAad,
  keyIdOf,
  loadKeyRing,
  removeKey,
  rotateAll,
  type RotateReport,
} from '@sipwake/secrets';
import { parseArgs } from 'node:util';
import { CliError, CliErrorCode } from './errors.js';

export interface KeysIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

export const DATABASE_URL_VARIABLE = 'SIPWAKE_DATABASE_URL';
export const DATA_DIR_VARIABLE = 'SIPWAKE_DATA_DIR';

export const keysUsage = `usage:
  sipwake keys generate FILE [--id ID]     new key file (mode 0600); never overwrites
  sipwake keys add FILE [--id ID]          new current key; the old keys stay
  sipwake keys rotate --key-file FILE [--database-url URL | --data-dir DIR] [--batch-size N]
                                           re-seal every instance password under the current key
  sipwake keys remove FILE ID [--database-url URL | --data-dir DIR]
                                           remove a retired key (refused while rows use it)
  the database URL may also come from ${DATABASE_URL_VARIABLE}; without one, the embedded
  database of the data folder (--data-dir, ${DATA_DIR_VARIABLE}, or .sipwake) is used when it
  exists — stop the embedded sipwake first: only one process opens it
`;

type OptionSpec = Record<string, { type: 'string' }>;

interface Parsed {
  readonly positionals: readonly string[];
  readonly values: Readonly<Record<string, string | undefined>>;
}

function usageError(message: string): CliError {
  return new CliError(CliErrorCode.Usage, `${message}\n${keysUsage}`);
}

/** Strict parsing: unknown options, a missing value and extra or missing arguments are refused. */
function parse(
  command: string,
  args: readonly string[],
  options: OptionSpec,
  positionalNames: readonly string[],
): Parsed {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError(`keys ${command}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { positionals } = parsed;
  if (positionals.length < positionalNames.length) {
    throw usageError(`keys ${command}: missing ${positionalNames[positionals.length]}`);
  }
  if (positionals.length > positionalNames.length) {
    throw usageError(
      `keys ${command}: unexpected argument "${positionals[positionalNames.length]}"`,
    );
  }
  const values: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') {
      if (value === '') throw usageError(`keys ${command}: --${name} needs a value`);
      values[name] = value;
    }
  }
  return { positionals, values };
}

/** PostgreSQL by URL, or the embedded database of a data folder. */
type DatabaseTarget = { readonly url: string } | { readonly dataDir: string };

function databaseTarget(
  values: Readonly<Record<string, string | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
): DatabaseTarget | undefined {
  const url = values['database-url'] ?? env[DATABASE_URL_VARIABLE];
  if (url !== undefined && url !== '') return { url };
  const dataDir = values['data-dir'] ?? env[DATA_DIR_VARIABLE] ?? '.sipwake';
  return hasEmbeddedDatabase(dataDir) ? { dataDir } : undefined;
}

async function withDatabase<T>(
  target: DatabaseTarget,
  fn: (db: Database) => Promise<T>,
): Promise<T> {
  const db =
    'url' in target
      ? await connectPostgres({
          connectionString: target.url,
          max: 2,
          applicationName: 'sipwake keys',
        })
      : await openEmbeddedDatabase(target.dataDir);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function runKeys(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: KeysIo,
): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'generate': {
      const { positionals, values } = parse('generate', rest, { id: { type: 'string' } }, ['FILE']);
      const change = await generateKeyFile(positionals[0]!, idOption(values));
      io.stdout.write(`created ${change.path} with key ${change.keyId} (current)\n`);
      return 0;
    }
    case 'add': {
      const { positionals, values } = parse('add', rest, { id: { type: 'string' } }, ['FILE']);
      const change = await addKey(positionals[0]!, idOption(values));
      io.stdout.write(
        `added key ${change.keyId} to ${change.path}; current ${change.currentKeyId}; keys ${change.keyIds.join(', ')}\n`,
      );
      return 0;
    }
    case 'rotate':
      return rotate(rest, env, io);
    case 'remove':
      return remove(rest, env, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(keysUsage);
      return sub === undefined ? 2 : 0;
    default:
      throw usageError(`unknown keys command "${sub}"`);
  }
}

function idOption(values: Readonly<Record<string, string | undefined>>): { id?: string } {
  const id = values['id'];
  return id === undefined ? {} : { id };
}

const DEFAULT_BATCH_SIZE = 500;
const MAX_BATCH_SIZE = 10_000;

async function rotate(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: KeysIo,
): Promise<number> {
  const { values } = parse(
    'rotate',
    args,
    {
      'key-file': { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      'batch-size': { type: 'string' },
    },
    [],
  );
  const keyFile = values['key-file'];
  if (keyFile === undefined) throw usageError('keys rotate: --key-file FILE is required');
  const target = databaseTarget(values, env);
  if (target === undefined) {
    throw usageError(
      `keys rotate: --database-url URL, ${DATABASE_URL_VARIABLE}, or a data folder with an embedded database is required`,
    );
  }
  const batchSize = parseBatchSize(values['batch-size']);
  const ring = await loadKeyRing(keyFile);
  const report = await withDatabase(target, (db) =>
    rotateAll<string>({
      ring,
      batchSize,
      fetchBatch: async ({ after, limit }) => {
        const { rows } = await db.query<{ selector: string; password_ciphertext: Uint8Array }>(
          `SELECT selector, password_ciphertext FROM instances
           WHERE selector > $1 ORDER BY selector LIMIT $2`,
          [after ?? '', limit],
        );
        return rows.map((row) => ({
          id: row.selector,
          sealed: row.password_ciphertext,
          aad: instancePasswordAad(row.selector),
        }));
      },
      // Compare-and-set: a password changed meanwhile (no longer `previous`) is left alone.
      store: (rows) =>
        db.transaction(async (tx) => {
          let written = 0;
          for (const row of rows) {
            const result = await tx.query(
              `UPDATE instances SET password_ciphertext = $1, password_key_id = $2
               WHERE selector = $3 AND password_ciphertext = $4`,
              [row.sealed, keyIdOf(row.sealed), row.id, row.previous],
            );
            written += result.rowCount;
          }
          return written;
        }),
      onBatch: (r) => io.stderr.write(`batch ${r.batches}: ${counts(r)}\n`),
    }),
  );
  io.stdout.write(
    `rotation to key ${ring.currentKeyId} ${report.complete ? 'complete' : 'incomplete'}: ${counts(report)}\n`,
  );
  for (const failure of report.failures) {
    io.stdout.write(`failed: instance ${failure.id} (${failure.code})\n`);
  }
  return report.failed === 0 && report.complete ? 0 : 1;
}

function counts(r: RotateReport<string>): string {
  const skipped = r.skipped > 0 ? `, changed meanwhile ${r.skipped}` : '';
  return `scanned ${r.scanned}, rotated ${r.rotated}, already current ${r.alreadyCurrent}, failed ${r.failed}${skipped}`;
}

function parseBatchSize(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BATCH_SIZE;
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH_SIZE) {
    throw usageError(`keys rotate: --batch-size must be an integer from 1 to ${MAX_BATCH_SIZE}`);
  }
  return n;
}

async function remove(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: KeysIo,
): Promise<number> {
  const { positionals, values } = parse(
    'remove',
    args,
    { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' } },
    ['FILE', 'ID'],
  );
  const [file, keyId] = positionals as [string, string];
  const target = databaseTarget(values, env);
  if (target !== undefined) {
    const inUse = await withDatabase(target, async (db) => {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM instances WHERE password_key_id = $1',
        [keyId],
      );
      return rows[0]?.n ?? 0;
    });
    if (inUse > 0) {
      throw new CliError(
        CliErrorCode.Refused,
        `key ${keyId} still seals ${inUse} instance password(s): run sipwake keys rotate first`,
      );
    }
  } else {
    io.stderr.write(
      `note: no database URL given, so rows still under key ${keyId} were not checked\n`,
    );
  }
  const change = await removeKey(file, keyId);
  io.stdout.write(
    `removed key ${keyId} from ${change.path}; current ${change.currentKeyId}; keys ${change.keyIds.join(', ')}\n`,
  );
  return 0;
}
