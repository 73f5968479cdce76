// @sipwake/sip-stack: transports, transactions, digest authentication, RFC 3263 server
// location and a small user-agent layer. Layers bottom-up: transport → transaction → ua;
// digest and dns stand beside them. This file names the whole public surface.

export { systemClock, createManualClock } from './clock.js';
export type { Clock, ManualClock, TimerHandle } from './clock.js';

// Transports (UDP, TCP, TLS, WebSocket) and the in-memory network for tests of higher layers.
export { createTransport } from './transport/transport.js';
export { transportDefaults } from './transport/options.js';
export type { TransportOptions, TlsOptions, TransportLog } from './transport/options.js';
export { createMemoryNetwork } from './transport/memory.js';
export type {
  MemoryNetwork,
  MemoryNetworkOptions,
  MemoryPacket,
  MemoryFate,
} from './transport/memory.js';
export {
  responseTarget,
  viaTransportToken,
  defaultSipPort,
  isReliable,
  stampReceived,
} from './transport/via.js';
export type { ViaTransportToken } from './transport/via.js';
export { TransportError, TransportErrorCode } from './transport/errors.js';
export type { TransportErrorTarget } from './transport/errors.js';
export { MAX_UDP_PAYLOAD } from './transport/udp.js';
export type {
  Transport,
  Flow,
  FlowClosed,
  FlowCloseReason,
  Inbound,
  InboundInvalid,
  SendTarget,
  ListenOptions,
  Endpoint,
  TransportProtocol,
} from './transport/types.js';

// Transactions (RFC 3261 §17, RFC 6026).
export { createTransactionLayer } from './transaction/layer.js';
export { transactionDefaults } from './transaction/options.js';
export { generateBranch, hasMagicCookie, MAGIC_COOKIE } from './transaction/branch.js';
export { buildCancel, buildNon2xxAck } from './transaction/requests.js';
export { TransactionError, TransactionErrorCodes } from './transaction/errors.js';
export type { TransactionErrorCode } from './transaction/errors.js';
export type { TimerName } from './transaction/timers.js';
export { CancelOutcome, TerminationReason } from './transaction/types.js';
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
} from './transaction/types.js';

// Digest authentication, client and server (RFC 7616, RFC 8760).
export { createDigestClient } from './digest/client.js';
export type {
  DigestClient,
  DigestClientOptions,
  DigestRequest,
  DigestChallengeResponse,
  DigestAnswer,
  AuthenticationInfoCheck,
} from './digest/client.js';
export { createDigestServer, DigestFailureReason } from './digest/server.js';
export type {
  DigestServer,
  DigestChallenge,
  DigestVerifyRequest,
  DigestVerifyResult,
} from './digest/server.js';
export { digestServerDefaults } from './digest/server-options.js';
export type {
  DigestServerOptions,
  DigestLookup,
  DigestUserhashLookup,
} from './digest/server-options.js';
export { DigestAlgorithm } from './digest/algorithm.js';
export type { DigestHash } from './digest/algorithm.js';
export { computeHa1, computeUserhash } from './digest/compute.js';
export type { DigestQop } from './digest/compute.js';
export type {
  DigestCredentials,
  PasswordCredentials,
  Ha1Credentials,
  DigestSecret,
  StoredHa1,
} from './digest/credentials.js';
export type { AuthorizationHeader } from './digest/challenge.js';
export { DigestError, DigestErrorCode, digestErrorCodes } from './digest/errors.js';

// RFC 3263 server location.
export { createServerLocator } from './dns/locator.js';
export type { ServerLocator, ServerLocatorOptions } from './dns/locator.js';
export { createTargetIterator, tryTargets, isServiceUnavailable } from './dns/failover.js';
export type {
  TargetIterator,
  TargetSource,
  FailoverOptions,
  FailoverSuccess,
} from './dns/failover.js';
export { createCachingResolver } from './dns/cache.js';
export type { CachingDnsResolver, DnsCacheOptions } from './dns/cache.js';
export { createNodeDnsResolver } from './dns/node-resolver.js';
export type { NodeDnsResolverOptions } from './dns/node-resolver.js';
export { DnsError, LocateError, DnsErrorCodes } from './dns/errors.js';
export type { DnsErrorCode, DnsRecordType, TargetFailure } from './dns/errors.js';
export type {
  DnsResolver,
  NaptrRecord,
  SrvRecord,
  AddressRecord,
  Target,
  AddressFamily,
} from './dns/types.js';
export type { LocatableUri } from './dns/uri-plan.js';
export type { RandomSource } from './dns/srv-order.js';

// The user-agent layer: requests with digest retry, registration, INVITE dialogs.
export { createUserAgent } from './ua/user-agent.js';
export type { UserAgent, UserAgentOptions } from './ua/user-agent.js';
export { createRegistration, sameUri } from './ua/register.js';
export type { RegisterResult, Registration, RegistrationOptions } from './ua/register.js';
export { sendRequest, sendRequestWithAuth } from './ua/send.js';
export type { AuthOptions, Exchange, SendOptions } from './ua/send.js';
export type { Dialog, DialogEnd, DialogId, DialogRole } from './ua/dialog.js';
export type { InviteOptions } from './ua/uac-invite.js';
export type { AnswerOptions, IncomingCall } from './ua/uas-invite.js';
export { createUasResponse } from './ua/respond.js';
export { literalTarget } from './ua/target.js';
export type { TargetResolver } from './ua/target.js';
export { cloneRequest } from './ua/requests.js';
export { newCallId, newTag } from './ua/ids.js';
export { minimalSdp } from './ua/sdp.js';
export { UaError, UaErrorCodes } from './ua/errors.js';
export type { UaErrorCode } from './ua/errors.js';
