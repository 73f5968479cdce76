// The embedded default, as `npm start` runs it: `sipwake start` with no service named runs every
// service in one process on the in-process bus and an embedded PostgreSQL (PGlite). The happy
// call passes against it as against separate processes: hand-over → Kamailio holds sipwake's
// binding; SIPp calls the user through Kamailio → push → the phone registers on the device side
// and answers → 200, ACK, BYE.
import { assertSippSucceeded } from '@sipwake/testkit';
import { accountAt, answeredCall, waitForSipwakeBinding } from './support/answered-call.js';
import { handOver, type Account } from './support/device.js';
import { DOMAIN, startSystem, type System } from './support/system.js';

const dora: Omit<Account, 'registrar'> = {
  username: 'dora',
  domain: DOMAIN,
  password: 'dora-secret',
};

let system: System;

beforeAll(async () => {
  system = await startSystem({
    users: [{ username: dora.username, password: dora.password, domain: DOMAIN }],
    embedded: true,
    env: { SIPWAKE_REGISTRATION_REFRESH_MARGIN_MS: '20000' },
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts) process.stdout.write(system.output());
});

let selector: string;

it('a hand-over to the embedded default gives Kamailio a binding to sipwake', async () => {
  const handed = await handOver(system.apiUrl, accountAt(system, dora), {
    id: 'dora-phone',
    token: 'd4'.repeat(32),
  });
  selector = handed.selector;
  // One process, on the in-process bus and PGlite, running every service.
  const started = system
    .output()
    .split('\n')
    .filter((line) => line.includes('"msg":"sipwake started"'))
    .map((line) => JSON.parse(line) as { bus: string; database: string; endpoints: string[] });
  expect(started).toHaveLength(1);
  expect(started[0]).toMatchObject({ bus: 'in-process', database: 'pglite' });
  expect(started[0]!.endpoints.map((e) => e.split(' ')[0])).toEqual(
    expect.arrayContaining(['router', 'registration-api', 'registrar-agent']),
  );
  const binding = await waitForSipwakeBinding(system, 'dora', selector);
  expect(binding.contact).toBe(`sip:${selector}@127.0.0.1:${system.routerPort}`);
});

it('a call to the embedded default rings, pushes, reaches the woken phone, and ends with BYE', async () => {
  expect(selector).toBeDefined();
  const call = await answeredCall(system, accountAt(system, dora), selector);
  assertSippSucceeded(call.caller);
  expect(call.caller.stats).toMatchObject({ successfulCalls: 1, failedCalls: 0 });
  expect(call.push.token).toBe('d4'.repeat(32));
  expect(call.pushFacts).toMatchObject({ type: 'call', selector });
  expect(typeof call.pushFacts?.['callId']).toBe('string');
  expect(call.ended).toMatchObject({ by: 'remote' });
  // The binding outlives the call: still sipwake's one contact at Kamailio.
  const binding = await waitForSipwakeBinding(system, 'dora', selector);
  expect(binding.contact).toBe(`sip:${selector}@127.0.0.1:${system.routerPort}`);
});
