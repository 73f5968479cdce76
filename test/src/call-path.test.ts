// The call path end to end, sipwake's services as separate processes on NATS and PostgreSQL:
// an app hands its account over, Kamailio holds sipwake's binding, SIPp calls the user through
// Kamailio, sipwake rings and pushes (a local APNs server checks the provider token and the
// push), the woken phone registers on sipwake's device side and answers, and the call runs
// through to BYE. Then: nobody answers (480 after T1), and an agent restart that continues the
// same binding.
import { assertSippSucceeded, runSipp, waitFor, type KamailioBinding } from '@sipwake/testkit';
import { answeredCall } from './support/answered-call.js';
import { refusedCaller } from './support/callers.js';
import { handOver, type Account } from './support/device.js';
import { DOMAIN, startSystem, type System } from './support/system.js';

const alice: Omit<Account, 'registrar'> = {
  username: 'alice',
  domain: DOMAIN,
  password: 'alice-secret',
};
const bob: Omit<Account, 'registrar'> = { username: 'bob', domain: DOMAIN, password: 'bob-secret' };

let system: System;
const account = (who: Omit<Account, 'registrar'>): Account => ({
  ...who,
  registrar: `sip:127.0.0.1:${system.kamailio.port}`,
});

/** sipwake's contact at Kamailio for a user: the one naming the selector at the router. */
async function sipwakeBindings(username: string, selector: string): Promise<KamailioBinding[]> {
  const bindings = await system.kamailio.bindings(`sip:${username}@${DOMAIN}`);
  return bindings.filter((b) => b.contact.includes(selector));
}

beforeAll(async () => {
  system = await startSystem({
    users: [
      { username: alice.username, password: alice.password, domain: DOMAIN },
      { username: bob.username, password: bob.password, domain: DOMAIN },
    ],
    env: {
      SIPWAKE_CALLS_WAKE_T1_MS: '3000',
      SIPWAKE_CALLS_WAKE_T2_MS: '5000',
      SIPWAKE_REGISTRATION_REFRESH_MARGIN_MS: '20000',
    },
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

afterEach(() => {
  const state = expect.getState();
  if (state.assertionCalls !== state.numPassingAsserts) process.stdout.write(system.output());
});

let aliceSelector: string;

it('a hand-over gives Kamailio a binding to sipwake for the account', async () => {
  const handed = await handOver(system.apiUrl, account(alice), {
    id: 'alice-phone',
    token: 'a1'.repeat(32),
  });
  aliceSelector = handed.selector;
  await waitFor(async () => (await sipwakeBindings('alice', aliceSelector)).length === 1, {
    timeoutMs: 20_000,
    what: "sipwake's binding for alice at Kamailio",
  });
  const [binding] = await sipwakeBindings('alice', aliceSelector);
  expect(binding!.contact).toBe(`sip:${aliceSelector}@127.0.0.1:${system.routerPort}`);
});

it('a call rings, pushes, and reaches the phone that wakes and registers; BYE ends it', async () => {
  expect(aliceSelector).toBeDefined();
  // The push wakes the phone: it registers on sipwake's device side, answers, and gets the BYE.
  const call = await answeredCall(system, account(alice), aliceSelector);
  const push = call.push;
  expect(push.token).toBe('a1'.repeat(32));
  const facts = call.pushFacts;
  expect(facts).toMatchObject({ type: 'call', selector: aliceSelector });
  expect(typeof facts?.['callId']).toBe('string');

  const result = call.caller;
  assertSippSucceeded(result);
  expect(result.stats).toMatchObject({ successfulCalls: 1, failedCalls: 0 });
  expect(call.ended).toMatchObject({ by: 'remote' });
});

it('a call nobody answers gets 480 after T1, with a push sent', async () => {
  const handed = await handOver(system.apiUrl, account(bob), {
    id: 'bob-phone',
    token: 'b2'.repeat(32),
  });
  await waitFor(async () => (await sipwakeBindings('bob', handed.selector)).length === 1, {
    timeoutMs: 20_000,
    what: "sipwake's binding for bob at Kamailio",
  });
  const pushesBefore = system.apns.pushes().length;
  const result = await runSipp({
    scenario: refusedCaller('No-Response-From-Device'),
    target: `127.0.0.1:${system.kamailio.port}`,
    args: ['-s', 'bob'],
    timeoutMs: 30_000,
  });
  assertSippSucceeded(result);
  const pushes = system.apns.pushes().slice(pushesBefore);
  expect(pushes.map((p) => p.token)).toContain('b2'.repeat(32));
});

it('an agent restart continues the same binding at Kamailio: same Call-ID, still one contact', async () => {
  const before = await sipwakeBindings('alice', aliceSelector);
  expect(before).toHaveLength(1);
  await system.restart('registrar-agent');
  // The restarted agent re-registers (throttled, soonest expiry first) with the stored Call-ID.
  await waitFor(
    async () => {
      const now = await sipwakeBindings('alice', aliceSelector);
      return now.length === 1 && now[0]!.cseq !== before[0]!.cseq;
    },
    { timeoutMs: 30_000, what: 'a refresh by the restarted agent' },
  );
  const after = await sipwakeBindings('alice', aliceSelector);
  expect(after).toHaveLength(1);
  expect(after[0]!.callId).toBe(before[0]!.callId);
  expect(Number(after[0]!.cseq)).toBeGreaterThan(Number(before[0]!.cseq));
});
