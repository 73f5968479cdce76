// One REGISTER's result in the words the state machine decides on (RFC 3261 §10.2, §21).
import { formatUri } from '@sipwake/sip-parser';
import type { RegisterResult } from '@sipwake/sip-stack';
import { UaError } from '@sipwake/sip-stack';

export type Outcome =
  /** 2xx: the registrar granted `expiresS` to our contact (0 once removed). */
  | { readonly kind: 'ok'; readonly code: number; readonly expiresS: number }
  /** §10.2.8: 423 Interval Too Brief with the registrar's Min-Expires. */
  | { readonly kind: 'too-brief'; readonly code: 423; readonly minExpiresS: number }
  /** §21.3 3xx: the registrar is elsewhere (its first Contact). */
  | { readonly kind: 'redirect'; readonly code: number; readonly contact: string }
  /** 401/407 after our credentials, or 403: the credentials are refused. */
  | { readonly kind: 'unauthorized'; readonly code: number }
  /** Any other failure; `code` null for a timeout or transport failure (§8.1.3.1: as 408/503). */
  | {
      readonly kind: 'failed';
      readonly code: number | null;
      /** §21.5.4 503 (and others) with Retry-After: the server's own wait. */
      readonly retryAfterMs: number | undefined;
      readonly reason: string;
    };

export function outcomeOfResult(result: RegisterResult): Outcome {
  return { kind: 'ok', code: result.response.status, expiresS: result.expiresS };
}

export function outcomeOfError(error: unknown): Outcome {
  if (!(error instanceof UaError)) {
    return { kind: 'failed', code: null, retryAfterMs: undefined, reason: describe(error) };
  }
  const response = error.response;
  if (error.code === 'UNAUTHORIZED') return { kind: 'unauthorized', code: response?.status ?? 401 };
  if (!response) {
    return { kind: 'failed', code: null, retryAfterMs: undefined, reason: error.code };
  }
  const code = response.status;
  if (code === 403) return { kind: 'unauthorized', code };
  if (code === 423) {
    const minExpiresS = safe(() => response.minExpires());
    if (minExpiresS !== undefined && minExpiresS > 0) {
      return { kind: 'too-brief', code: 423, minExpiresS };
    }
  }
  if (code >= 300 && code < 400) {
    const contacts = safe(() => response.contacts());
    if (Array.isArray(contacts) && contacts.length > 0) {
      return { kind: 'redirect', code, contact: formatUri(contacts[0]!.uri) };
    }
  }
  const retryAfter = safe(() => response.retryAfter());
  return {
    kind: 'failed',
    code,
    retryAfterMs: retryAfter === undefined ? undefined : retryAfter.seconds * 1000,
    reason: `${code} ${response.reason}`,
  };
}

/** A malformed header reads as absent (the parser throws on first access). */
function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown failure';
}
