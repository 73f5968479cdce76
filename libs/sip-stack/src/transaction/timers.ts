// Transaction timer values: RFC 3261 Appendix A (Table 4) and RFC 6026 §8.11, computed from the
// layer's own T1/T2/T4 (per instance, never module globals).

/** Timers by their RFC letters, plus the two unlettered ones a transaction also keeps. */
export type TimerName =
  | 'timerA'
  | 'timerB'
  | 'timerD'
  | 'timerE'
  | 'timerF'
  | 'timerG'
  | 'timerH'
  | 'timerI'
  | 'timerJ'
  | 'timerK'
  | 'timerL'
  | 'timerM'
  /** RFC 3261 §17.2.1: the 200 ms after which the INVITE server transaction sends 100 Trying. */
  | 'timerTrying'
  /** RFC 3261 §9.1: the 64*T1 an INVITE client transaction waits for a final response after CANCEL. */
  | 'timerCancel';

export interface TimerBase {
  readonly t1Ms: number;
  readonly t2Ms: number;
  readonly t4Ms: number;
  readonly tryingMs: number;
}

/** RFC 3261 §17.1.1.2: Timer D "at least 32 seconds for unreliable transports". */
const TIMER_D_UNRELIABLE_MS = 32_000;

export interface TransactionTimers {
  /** Timer A: T1, then "intervals that double after each transmission" (§17.1.1.2), no cap. */
  timerA(previousMs: number | undefined): number;
  /** Timer B: 64*T1, INVITE transaction timeout. */
  timerB(): number;
  /** Timer D: at least 32 s unreliable, zero reliable (§17.1.1.2). */
  timerD(reliable: boolean): number;
  /** Timer E: T1, then min(2*previous, T2) in Trying (§17.1.2.2). */
  timerE(previousMs: number | undefined): number;
  /** Timer E in Proceeding: "reset with a value of T2 seconds" (§17.1.2.2). */
  timerEProceeding(): number;
  /** Timer F: 64*T1, non-INVITE transaction timeout. */
  timerF(): number;
  /** Timer G: T1, then min(2*previous, T2) (§17.2.1). */
  timerG(previousMs: number | undefined): number;
  /** Timer H: 64*T1, wait time for ACK receipt (§17.2.1). */
  timerH(): number;
  /** Timer I: T4 unreliable, zero reliable (§17.2.1). */
  timerI(reliable: boolean): number;
  /** Timer J: 64*T1 unreliable, zero reliable (§17.2.2). */
  timerJ(reliable: boolean): number;
  /** Timer K: T4 unreliable, zero reliable (§17.1.2.2). */
  timerK(reliable: boolean): number;
  /** Timer L: 64*T1, RFC 6026 §8.7: wait time for accepted INVITE request retransmits. */
  timerL(): number;
  /** Timer M: 64*T1, RFC 6026 §8.4: wait time for retransmission of 2xx to INVITE or additional 2xx from other branches. */
  timerM(): number;
  timerTrying(): number;
  timerCancel(): number;
}

export function transactionTimers(base: TimerBase): TransactionTimers {
  const { t1Ms, t2Ms, t4Ms } = base;
  const sixtyFourT1 = 64 * t1Ms;
  const doubleUpToT2 = (previous: number | undefined): number =>
    previous === undefined ? t1Ms : Math.min(2 * previous, t2Ms);
  return {
    timerA: (previous) => (previous === undefined ? t1Ms : 2 * previous),
    timerB: () => sixtyFourT1,
    timerD: (reliable) => (reliable ? 0 : TIMER_D_UNRELIABLE_MS),
    timerE: doubleUpToT2,
    timerEProceeding: () => t2Ms,
    timerF: () => sixtyFourT1,
    timerG: doubleUpToT2,
    timerH: () => sixtyFourT1,
    timerI: (reliable) => (reliable ? 0 : t4Ms),
    timerJ: (reliable) => (reliable ? 0 : sixtyFourT1),
    timerK: (reliable) => (reliable ? 0 : t4Ms),
    timerL: () => sixtyFourT1,
    timerM: () => sixtyFourT1,
    timerTrying: () => base.tryingMs,
    timerCancel: () => sixtyFourT1,
  };
}
