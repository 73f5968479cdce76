// Replay protection in bounded memory: the highest nonce count seen per nonce, in a map capped
// at `maxEntries` and kept in least-recently-used order. A nonce pushed out while still valid
// cannot be tracked any more, so every untracked nonce issued no later than it is refused as
// stale from then on (the client simply retries with a fresh nonce) instead of being replayable.
// Issue times have millisecond resolution: a nonce issued in the same millisecond as a forgotten
// one is refused too. That only happens when the map overflows, i.e. under overload.

export interface NonceTrackerOptions {
  readonly maxEntries: number;
  readonly lifetimeMs: number;
}

/** `ok`: first use or a higher nc; `replay`: nc not above the highest seen; `forgotten`: above. */
export type NonceUse = 'ok' | 'replay' | 'forgotten';

export interface NonceTracker {
  /** Records a use; `nc` undefined (no qop) allows a single use. */
  use(nonce: string, issuedAtMs: number, nc: number | undefined, nowMs: number): NonceUse;
  readonly size: number;
}

interface Entry {
  readonly issuedAtMs: number;
  highestNc: number;
}

export function createNonceTracker(options: NonceTrackerOptions): NonceTracker {
  const entries = new Map<string, Entry>();
  let forgottenUpTo = Number.NEGATIVE_INFINITY;

  function expired(entry: Entry, nowMs: number): boolean {
    return nowMs - entry.issuedAtMs > options.lifetimeMs;
  }

  function makeRoom(nowMs: number): void {
    for (const [nonce, entry] of entries) {
      if (entries.size < options.maxEntries) return;
      entries.delete(nonce);
      // An expired nonce is refused by its age anyway; only a live one leaves a gap to close.
      if (!expired(entry, nowMs)) forgottenUpTo = Math.max(forgottenUpTo, entry.issuedAtMs);
    }
  }

  return {
    use(nonce, issuedAtMs, nc, nowMs) {
      const entry = entries.get(nonce);
      if (entry) {
        // RFC 7616 §3.4: nc is there "to allow the server to detect request replays by
        // maintaining its own copy of this count - if the same nc value is seen twice, then the
        // request is a replay"
        if (nc === undefined || nc <= entry.highestNc) return 'replay';
        entry.highestNc = nc;
        entries.delete(nonce);
        entries.set(nonce, entry);
        return 'ok';
      }
      if (issuedAtMs <= forgottenUpTo) return 'forgotten';
      makeRoom(nowMs);
      entries.set(nonce, { issuedAtMs, highestNc: nc ?? 0 });
      return 'ok';
    },
    get size() {
      return entries.size;
    },
  };
}
