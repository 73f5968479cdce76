// Test fixtures: a throw-away migrated PostgreSQL database, a key ring, a logger that records
// what it is given, and hand-over bodies.
import { randomBytes } from 'node:crypto';
import { connectPostgres, migrate } from '@sipwake/db';
import type { Database } from '@sipwake/db';
import { createKeyRing } from '@sipwake/secrets';
import type { KeyRing } from '@sipwake/secrets';
import type { ApiLog } from '../types.js';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayStore {
  readonly db: Database;
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
  const db = await connectPostgres({
    connectionString: `postgres://postgres@127.0.0.1:5432/${name}`,
    max: 4,
  });
  await migrate(db);
  return {
    db,
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

export function testKeyRing(): KeyRing {
  return createKeyRing({ current: 'k1', keys: { k1: randomBytes(32) } });
}

export interface RecordingLog extends ApiLog {
  readonly lines: string[];
}

/** Keeps every log call as JSON text, so a test can look for a password in it. */
export function recordingLog(): RecordingLog {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push(
        `${level} ${msg ?? ''} ${JSON.stringify(obj, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack } : v))}`,
      );
    };
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

export const PASSWORD = 'correct-horse-battery-staple-93';

/** A hand-over body a test may spoil field by field. */
export interface LooseBody {
  account: Record<string, unknown>;
  device?: Record<string, unknown>;
  mode?: string;
}

export function handOverBody(
  overrides: { username?: string; deviceId?: string } = {},
): LooseBody & { account: Record<string, unknown>; device: Record<string, unknown> } {
  return {
    account: {
      username: overrides.username ?? 'alice',
      domain: 'Example.COM',
      password: PASSWORD,
      registrar: 'sip:registrar.example.com',
      transport: 'tcp',
      expiresSeconds: 600,
    },
    device: {
      id: overrides.deviceId ?? 'phone-1',
      appId: 'com.example.phone',
      platform: 'ios',
      pushProvider: 'apns',
      token: 'a1b2c3d4',
      voipToken: 'voip-e5f6',
      topic: 'com.example.phone.voip',
    },
  };
}
