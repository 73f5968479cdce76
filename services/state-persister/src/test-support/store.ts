// Test fixtures: a throw-away PostgreSQL database (migrated), instances seeded directly, a
// silent logger, and the checkpoint/load requests a registrar-agent would send.
import { randomBytes } from 'node:crypto';
import type { Bus } from '@sipwake/bus';
import {
  CheckpointAck,
  CheckpointBatch,
  decodeReply,
  encodeMessage,
  ExpireAck,
  LoadPage,
  LoadRequest,
  RecordAck,
  subjects,
} from '@sipwake/contracts';
import type { CheckpointRow, Reply } from '@sipwake/contracts';
import { connectPostgres, migrate } from '@sipwake/db';
import type { Database, Queryable } from '@sipwake/db';
import type { PersisterLog } from '../types.js';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayStore {
  readonly db: Database;
  /** The database's name (to reach it another way, e.g. through a proxy). */
  readonly name: string;
  readonly connectionString: string;
  drop(): Promise<void>;
}

export async function createThrowawayStore(): Promise<ThrowawayStore> {
  const name = `sipwake_test_${randomBytes(6).toString('hex')}`;
  const admin = await connectPostgres({ connectionString: ADMIN_URL, max: 1 });
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.close();
  }
  const connectionString = `postgres://postgres@127.0.0.1:5432/${name}`;
  const db = await connectPostgres({ connectionString, max: 4 });
  await migrate(db);
  return {
    db,
    name,
    connectionString,
    async drop() {
      await db.close();
      const again = await connectPostgres({ connectionString: ADMIN_URL, max: 1 });
      try {
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.close();
      }
    },
  };
}

export const silentLog: PersisterLog = { info() {}, warn() {}, error() {} };

/** A random selector whose first hex digit is `first` (when given). */
export function selectorStartingWith(first?: string): string {
  const hex = randomBytes(20).toString('hex');
  return first === undefined ? hex : first + hex.slice(1);
}

/** The sealed bytes an instance row holds (opaque here: never opened). */
export const SEALED = Buffer.from([1, 2, 0x6b, 0x31, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0xff, 0xfe]);

export async function seedInstances(db: Queryable, selectors: readonly string[]): Promise<void> {
  await db.query(
    `INSERT INTO instances (selector, username, auth_username, domain, registrar_uri, transport,
       mode, password_ciphertext, password_key_id, token_hash)
     SELECT s, 'u-' || left(s, 8), 'u-' || left(s, 8), 'example.com', 'sip:example.com', 'udp',
       'takeover', $2, 'k1', 'hash'
     FROM unnest($1::text[]) AS s`,
    [selectors, SEALED],
  );
}

export function row(
  selector: string,
  version: number,
  extra: Partial<CheckpointRow> = {},
): CheckpointRow {
  return {
    selector,
    status: 'registered',
    callId: `call-${selector.slice(0, 8)}`,
    cseq: version + 1,
    expiresAt: 1_800_000_000_123,
    lastCode: 200,
    lastAt: 1_799_999_000_456,
    version,
    ...extra,
  };
}

export async function sendBatch(bus: Bus, batch: CheckpointBatch): Promise<Reply<CheckpointAck>> {
  const reply = await bus.request(subjects.stateCheckpoint, encodeMessage(CheckpointBatch, batch), {
    timeoutMs: 10_000,
  });
  return decodeReply(CheckpointAck, reply.data);
}

export async function sendRaw(bus: Bus, subject: string, value: unknown): Promise<Reply<unknown>> {
  const reply = await bus.request(subject, Buffer.from(JSON.stringify(value)), {
    timeoutMs: 10_000,
  });
  return decodeReply(CheckpointAck, reply.data);
}

export async function requestLoad(bus: Bus, request: LoadRequest): Promise<Reply<LoadPage>> {
  const reply = await bus.request(subjects.stateLoad, encodeMessage(LoadRequest, request), {
    timeoutMs: 10_000,
  });
  return decodeReply(LoadPage, reply.data);
}

/** Every page of a load, following nextCursor (bounded). */
export async function loadAll(
  bus: Bus,
  prefixes: string[],
  limit: number,
): Promise<{ selectors: string[]; pages: number }> {
  const selectors: string[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= 1000; pages++) {
    const page = await requestLoad(bus, { prefixes, limit, ...(cursor ? { cursor } : {}) });
    if (!page.ok) throw new Error(`load failed: ${page.error.code}`);
    selectors.push(...page.value.instances.map((i) => i.selector));
    if (page.value.nextCursor === null) return { selectors, pages };
    cursor = page.value.nextCursor;
  }
  throw new Error('load did not end');
}

export async function registrationsOf(
  db: Queryable,
): Promise<Map<string, { status: string; version: number; updatedAt: Date; shard: string }>> {
  const { rows } = await db.query<{
    selector: string;
    status: string;
    version: number;
    updated_at: Date;
    shard: string;
  }>('SELECT selector, status, version, updated_at, shard FROM registrations');
  return new Map(
    rows.map((r) => [
      r.selector,
      { status: r.status, version: Number(r.version), updatedAt: r.updated_at, shard: r.shard },
    ]),
  );
}

/** A request on a record subject, answered with RecordAck or an ErrorReply. */
export async function sendRecord(
  bus: Bus,
  subject: string,
  value: unknown,
): Promise<Reply<RecordAck>> {
  const reply = await bus.request(subject, Buffer.from(JSON.stringify(value)), {
    timeoutMs: 10_000,
  });
  return decodeReply(RecordAck, reply.data);
}

/** A request on the expire subject (sent as given, valid or not): ExpireAck or an ErrorReply. */
export async function sendExpire(bus: Bus, value: unknown): Promise<Reply<ExpireAck>> {
  const reply = await bus.request(subjects.stateExpire, Buffer.from(JSON.stringify(value)), {
    timeoutMs: 10_000,
  });
  return decodeReply(ExpireAck, reply.data);
}

export async function seedDevice(
  db: Queryable,
  selector: string,
  deviceId: string,
  token: string,
): Promise<void> {
  await db.query(
    `INSERT INTO devices (selector, device_id, app_id, platform, push_provider, push_token)
     VALUES ($1, $2, 'org.example.phone', 'ios', 'apns', $3)`,
    [selector, deviceId, token],
  );
}
