// The happy call through a whole system, shared by the suites: SIPp calls a user through
// Kamailio, sipwake rings and pushes, the woken phone registers on sipwake's device side and
// answers, and the call runs through to BYE. It returns what each party saw; suites assert on it.
import {
  runSipp,
  waitFor,
  withTimeout,
  type ApnsRecordedPush,
  type KamailioBinding,
  type SippResult,
} from '@sipwake/testkit';
import type { DialogEnd } from '@sipwake/sip-stack';
import { startPhone, type Account } from './device.js';
import { answeredCaller } from './callers.js';
import { DOMAIN, type System } from './system.js';

/** An account at the system's Kamailio. */
export function accountAt(system: System, who: Omit<Account, 'registrar'>): Account {
  return { ...who, registrar: `sip:127.0.0.1:${system.kamailio.port}` };
}

/** sipwake's contact at Kamailio for a user: the one naming the selector at the router. */
export async function sipwakeBindings(
  system: System,
  username: string,
  selector: string,
): Promise<KamailioBinding[]> {
  const bindings = await system.kamailio.bindings(`sip:${username}@${DOMAIN}`);
  return bindings.filter((b) => b.contact.includes(selector));
}

/** Waits (bounded) until Kamailio holds exactly one binding of sipwake's for the user. */
export async function waitForSipwakeBinding(
  system: System,
  username: string,
  selector: string,
): Promise<KamailioBinding> {
  await waitFor(async () => (await sipwakeBindings(system, username, selector)).length === 1, {
    timeoutMs: 20_000,
    what: `sipwake's binding for ${username} at Kamailio`,
  });
  return (await sipwakeBindings(system, username, selector))[0]!;
}

/** What each party saw of an answered call. */
export interface AnsweredCall {
  /** The push the APNs server received for the call (status 200). */
  readonly push: ApnsRecordedPush;
  /** The `sipwake` facts of the push payload (type, selector, callId, …). */
  readonly pushFacts: Record<string, unknown> | undefined;
  /** SIPp, the caller: INVITE → 200 → ACK → BYE → 200. */
  readonly caller: SippResult;
  /** The phone's dialog, once the caller's BYE ended it. */
  readonly ended: DialogEnd;
}

/**
 * SIPp calls `account` through Kamailio; when the push reaches the APNs server, the phone
 * registers on sipwake's device side, is sent the INVITE, answers; SIPp sends BYE.
 */
export async function answeredCall(
  system: System,
  account: Account,
  selector: string,
): Promise<AnsweredCall> {
  const phone = await startPhone(account, selector, system.routerPort);
  let call: Promise<SippResult> | undefined;
  try {
    const pushesBefore = system.apns.pushes().length;
    call = runSipp({
      scenario: answeredCaller(),
      target: `127.0.0.1:${system.kamailio.port}`,
      args: ['-s', account.username],
      timeoutMs: 30_000,
    });
    // The push wakes the phone: it registers on sipwake's device side.
    await waitFor(() => system.apns.pushes().length > pushesBefore, {
      timeoutMs: 15_000,
      what: 'the call push at the APNs server',
    });
    const push = system.apns.pushes()[pushesBefore]!;
    if (push.status !== 200) throw new Error(`APNs refused the push: ${JSON.stringify(push)}`);
    await phone.register();

    const result = await call;
    const dialog = await withTimeout(phone.answered, 5_000, "the phone's dialog");
    const ended = await withTimeout(dialog.ended, 5_000, 'the BYE at the phone');
    const pushFacts = (push.payload as { sipwake?: Record<string, unknown> }).sipwake;
    return { push, pushFacts, caller: result, ended };
  } finally {
    await call?.catch(() => undefined);
    await phone.stop();
  }
}
