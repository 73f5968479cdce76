// What else happens around a wake-up, end to end with sipwake's services as separate processes
// on NATS and PostgreSQL, Kamailio as the user's registrar and proxy, SIPp as the caller and a
// local APNs server: a caller who gives up (missed call, answered elsewhere), a MESSAGE kept until
// the app fetches and acknowledges it, a push token APNs calls dead, and mode takeover moving
// sipwake's binding at Kamailio as the app goes to the background and comes back.
import { connectPostgres, type Database } from '@sipwake/db';
import {
  assertSippSucceeded,
  runSipp,
  waitFor,
  type ApnsRecordedPush,
  type KamailioBinding,
  type SippResult,
} from '@sipwake/testkit';
import { adminInstance, instanceApi } from './support/api.js';
import { registerApp } from './support/app-registration.js';
import { cancellingCaller, messageSender, refusedCaller } from './support/callers.js';
import { handOver, type Account, type HandOver } from './support/device.js';
import { DOMAIN, startSystem, type System } from './support/system.js';

const TAKEOVER_DELAY_MS = 1_000;
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
/** Polls of registration-api stay well inside its rate limit (per client address and minute). */
const API_POLL_MS = 500;

type User = Omit<Account, 'registrar'>;
const user = (username: string): User => ({
  username,
  domain: DOMAIN,
  password: `${username}-secret`,
});
const carol = user('carol');
const erin = user('erin');
const frank = user('frank');
const gina = user('gina');

let system: System;
let db: Database;

const account = (who: User): Account => ({
  ...who,
  registrar: `sip:127.0.0.1:${system.kamailio.port}`,
});

/** sipwake's contacts at Kamailio for a user: the ones naming the selector at the router. */
async function sipwakeBindings(username: string, selector: string): Promise<KamailioBinding[]> {
  const bindings = await system.kamailio.bindings(`sip:${username}@${DOMAIN}`);
  return bindings.filter((b) => b.contact.includes(selector));
}

async function handOverAndBind(
  who: User,
  device: { id: string; token: string },
  mode: 'always' | 'takeover' = 'always',
): Promise<HandOver> {
  const handed = await handOver(system.apiUrl, account(who), device, mode);
  await waitFor(async () => (await sipwakeBindings(who.username, handed.selector)).length === 1, {
    timeoutMs: 20_000,
    what: `sipwake's binding for ${who.username} at Kamailio`,
  });
  return handed;
}

/** SIPp calls (or sends to) `username` through Kamailio. */
function sipp(scenario: string, username: string): Promise<SippResult> {
  return runSipp({
    scenario,
    target: `127.0.0.1:${system.kamailio.port}`,
    args: ['-s', username],
    timeoutMs: 30_000,
  });
}

/** The `sipwake` facts of a push's payload. */
function facts(push: ApnsRecordedPush): Record<string, unknown> {
  return (push.payload as { sipwake?: Record<string, unknown> } | undefined)?.sipwake ?? {};
}

function pushesTo(token: string): ApnsRecordedPush[] {
  return system.apns.pushes().filter((p) => p.token === token);
}

async function pushOfType(token: string, type: string): Promise<ApnsRecordedPush> {
  await waitFor(() => pushesTo(token).some((p) => facts(p)['type'] === type), {
    timeoutMs: 15_000,
    what: `a ${type} push to ${token.slice(0, 8)}…`,
  });
  return pushesTo(token).find((p) => facts(p)['type'] === type)!;
}

beforeAll(async () => {
  system = await startSystem({
    users: [carol, erin, frank, gina].map((u) => ({ ...u })),
    env: {
      SIPWAKE_CALLS_WAKE_T1_MS: '10000',
      SIPWAKE_REGISTRATION_REFRESH_MARGIN_MS: '20000',
      SIPWAKE_REGISTRATION_TAKEOVER_DELAY_MS: String(TAKEOVER_DELAY_MS),
      SIPWAKE_ADMIN_TOKEN: ADMIN_TOKEN,
    },
  });
  db = await connectPostgres({ connectionString: system.databaseUrl!, max: 1 });
}, 180_000);

afterAll(async () => {
  await db?.close();
  await system?.stop();
});

afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts) process.stdout.write(system.output());
});

describe('a caller who gives up', () => {
  const token = 'c3'.repeat(32);
  let carolSelector: string;

  it('CANCEL after the push: 487 to the caller, and a missed-call push', async () => {
    carolSelector = (await handOverAndBind(carol, { id: 'carol-phone', token })).selector;
    const before = pushesTo(token).length;
    const result = await sipp(cancellingCaller(), 'carol');
    assertSippSucceeded(result);
    expect(result.stats).toMatchObject({ successfulCalls: 1, failedCalls: 0 });

    const missed = await pushOfType(token, 'missed-call');
    const pushes = pushesTo(token).slice(before);
    expect(pushes.map((p) => facts(p)['type'])).toEqual(['call', 'missed-call']);
    expect(pushes.map((p) => p.status)).toEqual([200, 200]);
    const call = facts(pushes[0]!);
    expect(call).toMatchObject({ selector: carolSelector });
    expect(facts(missed)).toMatchObject({ selector: carolSelector, callId: call['callId'] });
    expect(missed.headers['apns-push-type']).toBe('alert');
  });

  it('CANCEL with Reason SIP cause 200: an answered-elsewhere push instead', async () => {
    expect(carolSelector).toBeDefined();
    const before = pushesTo(token).length;
    const result = await sipp(
      cancellingCaller('SIP;cause=200;text="Call completed elsewhere"'),
      'carol',
    );
    assertSippSucceeded(result);

    const elsewhere = await pushOfType(token, 'answered-elsewhere');
    const pushes = pushesTo(token).slice(before);
    expect(pushes.map((p) => facts(p)['type'])).toEqual(['call', 'answered-elsewhere']);
    expect(facts(elsewhere)).toMatchObject({
      selector: carolSelector,
      callId: facts(pushes[0]!)['callId'],
    });
    // Still one binding of sipwake's at Kamailio: a cancelled call changes nothing there.
    expect(await sipwakeBindings('carol', carolSelector)).toHaveLength(1);
  });
});

it('a MESSAGE is kept (202), pushed, fetched through the API, acknowledged, then gone', async () => {
  const token = 'e5'.repeat(32);
  const handed = await handOverAndBind(erin, { id: 'erin-phone', token });
  const api = instanceApi(system.apiUrl, handed.selector, handed.instanceToken);
  const text = 'Are you there? — sipwake e2e';

  const result = await sipp(messageSender(text), 'erin');
  assertSippSucceeded(result);
  expect(result.stats).toMatchObject({ successfulCalls: 1, failedCalls: 0 });

  const push = await pushOfType(token, 'message');
  expect(push.status).toBe(200);
  expect(facts(push)).toMatchObject({ selector: handed.selector });

  const listed = await api.messages();
  expect(listed.status).toBe(200);
  expect(listed.body.messages).toHaveLength(1);
  const [message] = listed.body.messages;
  expect(message).toMatchObject({ text: `${text}\r\n`, to: `sip:erin@${DOMAIN}` });
  expect(message!.contentType).toMatch(/^text\/plain/);
  expect(Buffer.from(message!.body, 'base64').toString('utf8')).toBe(`${text}\r\n`);
  expect(message!.from).toContain('sipp@');

  await expect(api.ack([message!.id])).resolves.toMatchObject({
    status: 200,
    body: { acknowledged: 1 },
  });
  await expect(api.messages()).resolves.toMatchObject({ status: 200, body: { messages: [] } });
  // Acknowledging again marks nothing: a message is never delivered twice.
  await expect(api.ack([message!.id])).resolves.toMatchObject({ body: { acknowledged: 0 } });
});

it('a token APNs calls Unregistered is marked dead and not pushed again', async () => {
  const token = 'f6'.repeat(32);
  const handed = await handOverAndBind(frank, { id: 'frank-phone', token });
  system.apns.answerToken(token, { status: 410, reason: 'Unregistered' });

  // The push is refused: nothing can wake the phone, the caller hears so at once.
  assertSippSucceeded(await sipp(refusedCaller('Push-Failed'), 'frank'));
  expect(pushesTo(token).map((p) => [p.status, p.reason])).toEqual([[410, 'Unregistered']]);

  const deadAt = async (): Promise<{ token_dead_at: Date | null; token_dead_reason: string }> => {
    const { rows } = await db.query<{ token_dead_at: Date | null; token_dead_reason: string }>(
      'SELECT token_dead_at, token_dead_reason FROM devices WHERE selector = $1 AND device_id = $2',
      [handed.selector, 'frank-phone'],
    );
    return rows[0]!;
  };
  await waitFor(async () => (await deadAt()).token_dead_at !== null, {
    timeoutMs: 15_000,
    what: "the device row's token_dead_at",
  });
  expect((await deadAt()).token_dead_reason).toBe('unregistered');

  // The next call has no device left to push: refused without a push.
  assertSippSucceeded(await sipp(refusedCaller('No-Device'), 'frank'));
  expect(pushesTo(token)).toHaveLength(1);
});

it('mode takeover: background → sipwake binds at Kamailio after the delay; foreground → only its contact goes', async () => {
  const device = { id: 'gina-phone', token: '97'.repeat(32) };
  const handed = await handOver(system.apiUrl, account(gina), device, 'takeover');
  const api = instanceApi(system.apiUrl, handed.selector, handed.instanceToken);
  const contacts = async (): Promise<string[]> =>
    (await system.kamailio.bindings(`sip:gina@${DOMAIN}`)).map((b) => b.contact);
  const sipwakeContact = `sip:${handed.selector}@127.0.0.1:${system.routerPort}`;
  const stateOf = async (): Promise<string | undefined> =>
    (await adminInstance(system.apiUrl, ADMIN_TOKEN, handed.selector))?.state;

  // The app is in the foreground and holds its own binding: sipwake stays out (Idle).
  const app = await registerApp(account(gina), system.kamailio.port);
  try {
    expect((await api.presence(device.id, 'foreground')).status).toBe(204);
    await waitFor(async () => (await stateOf()) === 'idle', {
      timeoutMs: 15_000,
      intervalMs: API_POLL_MS,
      what: 'the instance Idle in the admin API',
    });
    expect(await contacts()).toEqual([app.contact]);

    // Background: after the takeover delay sipwake registers beside the app's contact.
    expect((await api.presence(device.id, 'background')).status).toBe(204);
    await waitFor(async () => (await contacts()).includes(sipwakeContact), {
      timeoutMs: 20_000,
      what: "sipwake's binding for gina after the takeover delay",
    });
    expect((await contacts()).sort()).toEqual([app.contact, sipwakeContact].sort());
    await waitFor(async () => (await stateOf()) === 'registered', {
      timeoutMs: 15_000,
      intervalMs: API_POLL_MS,
      what: 'the instance Registered in the admin API',
    });

    // Foreground again: sipwake removes only its own contact, so a call never rings twice.
    expect((await api.presence(device.id, 'foreground')).status).toBe(204);
    await waitFor(async () => !(await contacts()).includes(sipwakeContact), {
      timeoutMs: 20_000,
      what: "sipwake's binding for gina removed",
    });
    expect(await contacts()).toEqual([app.contact]);
    await waitFor(async () => (await stateOf()) === 'idle', {
      timeoutMs: 15_000,
      intervalMs: API_POLL_MS,
      what: 'the instance Idle again',
    });
    // The app sees the same state as the operator.
    await expect(api.instance()).resolves.toMatchObject({
      status: 200,
      body: { state: 'idle', mode: 'takeover' },
    });
  } finally {
    await app.stop();
  }
});
