// One measured phase of B4: `count` INVITEs at `rate` per second to a UDP target, each timed
// from its send to the local APNs server's receipt of the call push naming its Call-ID (and to
// its first 180, when the target answers). Bounded: the sends take count/rate seconds, the
// wait for stragglers at most `drainMs`.
import { createCaller } from './sip.mjs';
import { cpuWindow, summary, udpRcvbufErrors } from './measure.mjs';

/** Routes APNs receipts to the phase that is running: `onPush` goes to startApnsServer. */
export function createPushClock() {
  let current;
  return {
    use(calls) {
      current = calls;
    },
    onPush(push) {
      const facts = push.payload?.sipwake;
      if (facts?.type !== 'call' || current === undefined) return;
      const call = current.get(facts.callId);
      if (call !== undefined && call.pushAt === undefined) {
        call.pushAt = performance.now();
        call.pushStatus = push.status;
      }
    },
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

export async function runCallPhase({
  label,
  targetPort,
  selectors,
  count,
  rate,
  pushClock,
  pids = {},
  drainMs = 5_000,
}) {
  const caller = await createCaller(targetPort);
  pushClock.use(caller.calls);
  const run = `${label.replace(/\W+/g, '')}${Date.now().toString(36)}`;
  const dropsBefore = udpRcvbufErrors();
  const cpu = cpuWindow(pids);
  const start = performance.now();
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; sent < due; sent += 1) {
      const selector = selectors[sent % selectors.length];
      caller.send({
        id: `${run}x${sent}`,
        callId: `${run}-${sent}@b4.bench`,
        uri: `sip:${selector}@127.0.0.1:${targetPort}`,
      });
    }
    await tick();
  }
  const sendSeconds = (performance.now() - start) / 1000;
  const calls = [...caller.calls.values()];
  const deadline = performance.now() + drainMs;
  while (performance.now() < deadline && calls.some((c) => c.pushAt === undefined)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const cpuShare = cpu();
  pushClock.use(undefined);
  const pushed = calls.filter((c) => c.pushAt !== undefined);
  const ringing = calls.filter((c) => c.ringingAt !== undefined);
  const result = {
    label,
    sent: count,
    rate: count / sendSeconds,
    pushed: pushed.length,
    lost: count - pushed.length,
    pushRefused: pushed.filter((c) => c.pushStatus !== 200).length,
    push: summary(pushed.map((c) => c.pushAt - c.sentAt)),
    ringing: ringing.length,
    ring: summary(ringing.map((c) => c.ringingAt - c.sentAt)),
    pushSentStatus: calls.filter((c) => c.pushStatuses.includes('Push-Notification-Sent')).length,
    kernelDrops: udpRcvbufErrors() - dropsBefore,
    cpu: cpuShare,
    caller,
  };
  return result;
}
