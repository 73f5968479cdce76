// @sipwake/contracts: every subject and message schema, defined once; the selector and prefix math.
export { ContractError, ContractErrorCode } from './errors.js';
export type { ContractErrorOptions, FieldError } from './errors.js';

export { assertSelector, computeSelector, isSelector, SELECTOR_HEX_DIGITS } from './selector.js';
export type { AccountIdentity } from './selector.js';
export {
  formatPrefix,
  parsePrefix,
  prefixCovers,
  prefixMatches,
  prefixOf,
  prefixOverlaps,
  SELECTOR_BITS,
  splitPrefix,
} from './prefix.js';
export type { Prefix } from './prefix.js';
export { checkExactCover, describePrefixes } from './cover.js';
export type { CoverCheck } from './cover.js';
export {
  selectorTokens,
  SUBJECT_PREFIX_BITS,
  SUBJECT_SELECTOR_DIGITS,
  subjectTokensFor,
} from './tokens.js';
export { sipHostFor } from './host.js';
export { sharedSipSettings } from './settings.js';

export { QueueGroup, ShardSubjectKind, subjects, subjectTable } from './subjects.js';
export type { SubjectRow } from './subjects.js';

export {
  DevicePresence,
  InstanceMode,
  InstanceState,
  PushOutcome,
  PushProvider,
  PushType,
  ShardStatus,
} from './states.js';

export {
  acceptMessages,
  checkMessage,
  decodeMessage,
  decodeReply,
  encodeMessage,
} from './codec.js';
export type { CodecOptions, MessageHandlers, Reply } from './codec.js';

export {
  Base64,
  Endpoint,
  EpochMs,
  ErrorReply,
  Id,
  Nullable,
  OneOf,
  PrefixText,
  RouterId,
  Selector,
  ShardName,
  TransportProtocol,
  Version,
} from './schemas/common.js';
export {
  AboutToAnswerEvent,
  DeviceEvent,
  DevicePresenceEvent,
  InstanceChange,
  SipForward,
  SipForwardAck,
} from './schemas/shard.js';
export { RouterSend, RouterSendResult } from './schemas/router.js';
export { PushDevice, PushRequest, PushResult, PushResults } from './schemas/push.js';
export {
  CheckpointAck,
  CheckpointBatch,
  CheckpointRow,
  InstanceDevice,
  LoadedInstance,
  LoadPage,
  LoadRequest,
} from './schemas/state.js';
export { Drain, Heartbeat, ShardMapChanged } from './schemas/control.js';
export { ExpireAck, ExpireInstance, ExpireOutcome } from './schemas/expiry.js';
export {
  CallDirection,
  CallOutcome,
  CallRecord,
  DeadToken,
  DeadTokenReason,
  DeviceToken,
  RecordAck,
  RecordOutcome,
  StoreMessage,
  Uuid,
} from './schemas/records.js';
