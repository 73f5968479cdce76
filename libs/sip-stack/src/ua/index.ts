// The user-agent layer's public surface (to be re-exported by name from the package's src/index.ts).
export { createUserAgent } from './user-agent.js';
export type { UserAgent, UserAgentOptions } from './user-agent.js';
export { createRegistration, sameUri } from './register.js';
export type { RegisterResult, Registration, RegistrationOptions } from './register.js';
export { sendRequest, sendRequestWithAuth } from './send.js';
export type { AuthOptions, Exchange, SendOptions } from './send.js';
export type { Dialog, DialogEnd, DialogId, DialogRole } from './dialog.js';
export type { InviteOptions } from './uac-invite.js';
export type { AnswerOptions, IncomingCall } from './uas-invite.js';
export { literalTarget } from './target.js';
export type { TargetResolver } from './target.js';
export { cloneRequest } from './requests.js';
export { newCallId, newTag } from './ids.js';
export { createUasResponse } from './respond.js';
export { minimalSdp } from './sdp.js';
export { UaError, UaErrorCodes } from './errors.js';
export type { UaErrorCode } from './errors.js';
