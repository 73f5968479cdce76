// What the integration suites share: an API over a throw-away database and a bus, a hand-over,
// and the next message on a subject.
import { randomBytes } from 'node:crypto';
import type { Bus, BusMessage } from '@sipwake/bus';
import type { KeyRing } from '@sipwake/secrets';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApi } from '../api.js';
import type { ApiSettings, BuildApiOptions } from '../types.js';
import { handOverBody, recordingLog, testKeyRing } from './fixtures.js';
import type { RecordingLog, ThrowawayStore } from './fixtures.js';

export const testSettings: ApiSettings = {
  sipDomain: 'sip.example.net',
  hostPrefixLength: 1,
  rateLimitPerMinute: 100_000,
};

export interface Harness {
  readonly app: FastifyInstance;
  readonly keyRing: KeyRing;
  readonly log: RecordingLog;
}

export async function startApi(
  store: ThrowawayStore,
  bus: Bus,
  extra: Partial<BuildApiOptions> = {},
): Promise<Harness> {
  const keyRing = testKeyRing();
  const log = recordingLog();
  const app = await buildApi({ db: store.db, bus, keyRing, log, config: testSettings, ...extra });
  return { app, keyRing, log };
}

/** A username no other suite uses, so suites sharing one nats-server never hear each other. */
export function uniqueUsername(stem: string): string {
  return `${stem}-${randomBytes(4).toString('hex')}`;
}

/** Hands over `username`'s account; its selector and instance token. */
export async function handOverAs(
  app: FastifyInstance,
  username: string,
  overrides: Record<string, unknown> = {},
): Promise<{ selector: string; token: string; auth: { authorization: string } }> {
  const body = handOverBody({ username });
  const res = await app.inject({
    method: 'POST',
    url: '/v1/instances',
    payload: { ...body, account: { ...body.account, ...overrides } },
  });
  if (res.statusCode !== 201) throw new Error(`hand-over answered ${res.statusCode}: ${res.body}`);
  const { selector, instanceToken } = res.json<{ selector: string; instanceToken: string }>();
  return { selector, token: instanceToken, auth: { authorization: `Bearer ${instanceToken}` } };
}

/**
 * The next message on `subject`, decoded, as `next`; resolves once the subscription is in place
 * (wrapped: an async function returning a promise would wait for the message itself).
 */
export async function nextOn<T>(
  bus: Bus,
  subject: string,
  decode: (m: BusMessage) => T,
): Promise<{ next: Promise<T> }> {
  let resolve!: (value: T) => void;
  const next = new Promise<T>((r) => (resolve = r));
  const sub = bus.subscribe(subject, (message) => {
    sub.unsubscribe();
    resolve(decode(message));
  });
  await bus.flush();
  return { next };
}

export function jsonOf(res: LightMyRequestResponse): Record<string, unknown> {
  return res.json<Record<string, unknown>>();
}
