// An ErrorReply (`{ error: { code, message, retryable } }`) built from whatever failed: the
// requester learns why, the message never holds a value (contract errors name paths only, and a
// database error is reported by its code).
import { ContractError, encodeMessage, ErrorReply } from '@sipwake/contracts';
import { DbError } from '@sipwake/db';
import { PersisterError, PersisterErrorCode } from './errors.js';

const MAX_MESSAGE = 1024;

export function errorReplyFor(error: unknown, what: string): ErrorReply['error'] {
  if (error instanceof PersisterError) {
    return { code: error.code, message: clip(error.message), retryable: error.retryable };
  }
  if (error instanceof ContractError) {
    return {
      code: PersisterErrorCode.InvalidRequest,
      message: clip(error.message),
      retryable: false,
    };
  }
  if (error instanceof DbError) {
    return {
      code: PersisterErrorCode.StoreFailed,
      message: clip(`${what} failed: database ${error.code}`),
      retryable: error.retryable,
    };
  }
  return {
    code: PersisterErrorCode.StoreFailed,
    message: clip(`${what} failed`),
    retryable: true,
  };
}

export function encodeErrorReply(error: ErrorReply['error']): Uint8Array {
  return encodeMessage(ErrorReply, { error });
}

function clip(text: string): string {
  return text.length <= MAX_MESSAGE ? text : `${text.slice(0, MAX_MESSAGE - 1)}…`;
}
