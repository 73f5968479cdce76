// The selector: the name of an instance, computed from the account identity (DESIGN.md "Words").
// The app computes the same bytes, so this is the one definition:
//   selector = lowercase hex SHA-1 over UTF-8( authUsername NUL username NUL asciiLower(domain) )
// The password is not part of it: a password change keeps the selector.
import { createHash } from 'node:crypto';
import { ContractError, ContractErrorCode } from './errors.js';

export interface AccountIdentity {
  /** The digest auth username. The caller passes it: where an account has none, the username. */
  readonly authUsername: string;
  /** The SIP username (the user part of the address of record). */
  readonly username: string;
  /** The SIP domain; compared without regard to ASCII case. */
  readonly domain: string;
}

/** A selector is 40 lowercase hex digits (160 bits of SHA-1). */
export const SELECTOR_HEX_DIGITS = 40;

const selectorPattern = /^[0-9a-f]{40}$/;

export function isSelector(text: unknown): text is string {
  return typeof text === 'string' && selectorPattern.test(text);
}

/** The text itself when it is a selector; BAD_SELECTOR otherwise. */
export function assertSelector(text: unknown): string {
  if (!isSelector(text)) {
    const shown = String(text);
    throw new ContractError(ContractErrorCode.BadSelector, 'not a selector (40 lowercase hex)', {
      input: shown.length > 64 ? shown.slice(0, 64) : shown,
    });
  }
  return text;
}

/**
 * Only ASCII letters are folded: a domain is ASCII (IDNA A-labels), and a fold every platform
 * does alike keeps the app's computation equal to ours (`toLowerCase` differs on some scripts).
 */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

function identityPart(name: keyof AccountIdentity, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ContractError(ContractErrorCode.BadAccountIdentity, `${name} is empty`, {
      input: name,
    });
  }
  if (value.includes('\0')) {
    // A NUL inside a part would make two identities hash alike.
    throw new ContractError(ContractErrorCode.BadAccountIdentity, `${name} contains NUL`, {
      input: name,
    });
  }
  return value;
}

export function computeSelector(identity: AccountIdentity): string {
  const authUsername = identityPart('authUsername', identity.authUsername);
  const username = identityPart('username', identity.username);
  const domain = asciiLower(identityPart('domain', identity.domain));
  return createHash('sha1').update(`${authUsername}\0${username}\0${domain}`, 'utf8').digest('hex');
}
