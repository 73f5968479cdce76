// @sipwake/sip-parser — the public surface.
export { parseMessage } from './parse.js';
export { createStreamFramer } from './framer.js';
export { serializeMessage } from './serialize.js';
export { createRequest, createResponse } from './create.js';
export type { CreateRequestOptions, CreateResponseOptions } from './create.js';
export { parseUri, formatUri } from './uri.js';
export { parseNameAddr } from './name-addr.js';
export { reasonPhrase } from './reason-phrases.js';
export { checkMessage, checkRequest, ProblemCode } from './check.js';
export type { CheckRequestOptions, MessageProblem } from './check.js';
export { SipParseError, ParseErrorCode, statusForParseError } from './errors.js';
export type { SipParseErrorDetails } from './errors.js';
export { runSipParse, describeMessage } from './cli-main.js';
export type { SipParseIo } from './cli-main.js';
export type {
  AuthHeader,
  CSeq,
  Contact,
  FramerEvent,
  FromTo,
  HeaderParams,
  NameAddr,
  ParseOptions,
  PushParams,
  Reason,
  RetryAfter,
  SipHeaders,
  SipMessage,
  SipRequest,
  SipResponse,
  SipUri,
  KeepAliveRole,
  StreamFramer,
  StreamFramerOptions,
  UriScheme,
  Via,
} from './types.js';
