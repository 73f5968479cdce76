// The guard around every message handler: a throw or a rejection becomes a HANDLER_FAILED
// report, and the subscription goes on with the next message.
import { BusError, BusErrorCode } from './errors.js';
import type { BusMessage, MessageHandler } from './types.js';

export type ErrorReporter = (error: BusError) => void;

function handlerFailed(subject: string, cause: unknown): BusError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new BusError(BusErrorCode.HandlerFailed, `handler for ${subject} failed: ${reason}`, {
    subject,
    cause,
  });
}

export function runHandler(
  handler: MessageHandler,
  message: BusMessage,
  report: ErrorReporter,
): void {
  try {
    const result = handler(message);
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      (result as Promise<void>).then(undefined, (cause: unknown) =>
        report(handlerFailed(message.subject, cause)),
      );
    }
  } catch (cause) {
    report(handlerFailed(message.subject, cause));
  }
}
