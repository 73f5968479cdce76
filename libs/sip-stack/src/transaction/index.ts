// The transaction layer's public surface (re-exported by name from the package's src/index.ts).
export { createTransactionLayer } from './layer.js';
export { transactionDefaults } from './options.js';
export { generateBranch, hasMagicCookie, MAGIC_COOKIE } from './branch.js';
export { buildCancel, buildNon2xxAck } from './requests.js';
export { TransactionError, TransactionErrorCodes } from './errors.js';
export type { TransactionErrorCode } from './errors.js';
export type { TimerName } from './timers.js';
export { CancelOutcome, TerminationReason } from './types.js';
export type {
  CancelOptions,
  ClientTransaction,
  ClientTransactionHandlers,
  InviteClientState,
  InviteServerState,
  NonInviteClientState,
  NonInviteServerState,
  SentBy,
  ServerTransaction,
  TerminatedEvent,
  TransactionLayer,
  TransactionLayerOptions,
  TransactionLog,
} from './types.js';
