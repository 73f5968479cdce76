// @sipwake/testkit: real peers for tests (nats-server, Kamailio, SIPp) on free loopback ports,
// and bounded waits. Test-only: production code never imports it.

export { freePort, freePorts } from './ports.js';
export type { FreePortOptions, PortProtocol } from './ports.js';

export { waitFor, withTimeout } from './wait.js';
export type { EventCondition, EventSourceLike, Predicate, WaitOptions } from './wait.js';

export { seededRandom } from './random.js';

export { createUdpPeer } from './udp-peer.js';
export type { Datagram, NextOptions, UdpPeer, UdpPeerOptions } from './udp-peer.js';

export {
  sipHeader,
  sipHeaders,
  sipMethod,
  sipRequest,
  sipResponseFor,
  sipStartLine,
  sipStatus,
} from './sip-text.js';
export type { RequestOptions, ResponseOptions } from './sip-text.js';

export { startNatsServer } from './nats/nats-server.js';
export type { NatsServer, NatsServerOptions } from './nats/nats-server.js';

export { startKamailio } from './kamailio/kamailio.js';
export type { Kamailio, KamailioOptions } from './kamailio/kamailio.js';
export type { KamailioTransport, RegistrarOptions } from './kamailio/config.js';
export type { DigestAlgorithm, KamailioUser } from './kamailio/db-text.js';
export type { KamailioBinding } from './kamailio/kamcmd.js';

export { assertSippSucceeded, runSipp, startSipp } from './sipp/sipp.js';
export type { SippHandle, SippOptions, SippResult } from './sipp/sipp.js';
export { describeSippExit, SippExit } from './sipp/exit-codes.js';
export { sippReply, sippRequest, sippScenario, sippSend } from './sipp/scenario.js';
export type { SippReplyOptions, SippRequestOptions } from './sipp/scenario.js';
export type { SippStats } from './sipp/stats.js';

export { documentedCodes, readPackageReadme } from './readme-table.js';
export type { DocumentedCode, DocumentedCodesOptions } from './readme-table.js';

// Local push providers (APNs, FCM HTTP v1) and the credentials they check.
export { startApnsServer } from './push/apns-server.js';
export type {
  ApnsAnswer,
  ApnsRecordedPush,
  ApnsServer,
  ApnsServerKey,
  ApnsServerOptions,
} from './push/apns-server.js';
export { fcmErrorBody, fcmScope, startFcmServer } from './push/fcm-server.js';
export type {
  FcmAnswer,
  FcmRecordedMessage,
  FcmServer,
  FcmServerAccount,
  FcmServerOptions,
} from './push/fcm-server.js';
export type { RandomAnswer } from './push/answers.js';
export { generateApnsKey, generateServiceAccount, writeSecretFile } from './push/keys.js';
export type {
  ApnsKey,
  ApnsKeyOptions,
  ServiceAccount,
  ServiceAccountJson,
  ServiceAccountOptions,
} from './push/keys.js';
export { verifyJwt } from './push/jws.js';
export type { DecodedJwt, JwtCheck } from './push/jws.js';
export { makeSelfSignedCert } from './tls.js';
export type { TlsIdentity } from './tls.js';

export { isPortBound } from './proc-net.js';
export type { ProcessExit } from './peer-process.js';

export {
  BadOptionsError,
  NoFreePortError,
  PeerCommandError,
  PeerStartError,
  TestkitError,
  TestkitErrorCode,
  WaitTimeoutError,
} from './errors.js';

// Throw-away PostgreSQL databases on the local server.
export { createThrowawayDatabase } from './postgres/throwaway.js';
export type { ThrowawayDatabase, ThrowawayOptions } from './postgres/throwaway.js';
