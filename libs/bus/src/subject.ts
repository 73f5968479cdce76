// Subject and queue-name rules, as nats-server applies them: tokens separated by '.', none empty,
// no whitespace; in a subscription `*` stands for one whole token and `>` (last only) for one
// or more. A publish goes to a literal subject.
import { BusError, BusErrorCode } from './errors.js';

// Whitespace and control characters: nats-server splits protocol lines on them.
// eslint-disable-next-line no-control-regex
const whitespace = /[\s\x00-\x1f\x7f]/;

function fail(subject: string, why: string): never {
  throw new BusError(BusErrorCode.BadSubject, `bad subject ${JSON.stringify(subject)}: ${why}`, {
    subject,
  });
}

function checkTokens(subject: string, wildcards: boolean): readonly string[] {
  if (typeof subject !== 'string' || subject.length === 0) fail(String(subject), 'empty');
  if (whitespace.test(subject)) fail(subject, 'contains whitespace');
  const tokens = subject.split('.');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.length === 0) fail(subject, 'empty token');
    if (token === '*' || token === '>') {
      if (!wildcards) fail(subject, 'a wildcard in a subject to publish to');
      if (token === '>' && i !== tokens.length - 1) fail(subject, "'>' is not the last token");
    }
  }
  return tokens;
}

/**
 * Whether `subject` is surely a good literal subject: one pass without allocation (publish is
 * the hot path). False means "look closer", not "bad".
 */
function plainLiteral(subject: string): boolean {
  if (typeof subject !== 'string') return false;
  const length = subject.length;
  let tokenStart = 0;
  for (let i = 0; i <= length; i++) {
    const c = i === length ? 46 : subject.charCodeAt(i);
    if (c === 46) {
      const size = i - tokenStart;
      if (size === 0) return false;
      if (size === 1) {
        const t = subject.charCodeAt(tokenStart);
        if (t === 42 || t === 62) return false;
      }
      tokenStart = i + 1;
    } else if (c <= 32 || c >= 127) {
      return false;
    }
  }
  return true;
}

/** Throws BAD_SUBJECT unless `subject` is a literal subject (publish, request, reply). */
export function checkPublishSubject(subject: string): void {
  if (!plainLiteral(subject)) checkTokens(subject, false);
}

/** Throws BAD_SUBJECT unless `subject` is a subject or wildcard pattern; returns its tokens. */
export function checkSubscribeSubject(subject: string): readonly string[] {
  return checkTokens(subject, true);
}

/** Throws BAD_SUBJECT for an empty queue name or one with whitespace. */
export function checkQueueName(queue: string): void {
  if (typeof queue !== 'string' || queue.length === 0 || whitespace.test(queue)) {
    fail(String(queue), 'not a queue group name');
  }
}

/** Whether a literal subject (as tokens) matches a subscription pattern (as tokens). */
export function tokensMatch(pattern: readonly string[], subject: readonly string[]): boolean {
  const last = pattern.length - 1;
  for (let i = 0; i <= last; i++) {
    const p = pattern[i]!;
    if (p === '>') return subject.length > i;
    if (i >= subject.length) return false;
    if (p !== '*' && p !== subject[i]) return false;
  }
  return subject.length === pattern.length;
}

/** Whether `subject` (literal) matches `pattern` (may hold wildcards). */
export function subjectMatches(pattern: string, subject: string): boolean {
  return tokensMatch(pattern.split('.'), subject.split('.'));
}
