// The instance token guard of /v1/instances/:selector…: a missing or wrong token, a malformed
// selector and an unknown selector all get the same 401 after the same work (one lookup, one
// constant-time compare), so the answer says nothing about whether the selector exists.
import type { Database } from '@sipwake/db';
import { isSelector } from '@sipwake/contracts';
import { ApiError, ApiErrorCode } from './errors.js';
import { bearerToken, tokenMatches } from './token.js';
import { tokenHashOf } from './store.js';

export const UNAUTHORIZED_MESSAGE = 'a valid instance token is required';

/** Resolves when `authorization` holds the token of `selector`; throws the 401 otherwise. */
export async function authenticate(
  db: Database,
  selector: string,
  authorization: string | undefined,
): Promise<void> {
  const token = bearerToken(authorization);
  const stored = isSelector(selector) ? await tokenHashOf(db, selector) : undefined;
  if (!tokenMatches(token, stored)) {
    throw new ApiError(ApiErrorCode.Unauthorized, UNAUTHORIZED_MESSAGE);
  }
}

/**
 * The instance token check as a `preValidation` hook, for routes whose query or body is checked
 * by schema: the 401 then comes before any 400, so a stranger learns nothing from the shape.
 */
export function instanceGuard(
  db: Database,
): (request: { params: unknown; headers: { authorization?: string } }) => Promise<void> {
  return async (request) => {
    const { selector } = request.params as { selector?: string };
    await authenticate(db, selector ?? '', request.headers.authorization);
  };
}
