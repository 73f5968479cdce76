// Settings that several services read under one name: in a process running several services
// one SIPWAKE_* variable feeds them all, so each is defined once, here, and services put it
// in their config schema (`sip: Type.Object({ ...sharedSipSettings, … })`).
import { Type } from '@sinclair/typebox';

/** The `sip` settings the registration-api, the registrar-agent and the router share. */
export const sharedSipSettings = {
  /** The host devices register to and pushes name: `s-X.<host>`, or `<host>` itself. */
  host: Type.String({
    minLength: 1,
    default: '127.0.0.1',
    description:
      'SIP host devices use (the routers, in DNS); with a host prefix length devices get s-X.<host>',
  }),
  hostPrefixLength: Type.Integer({
    minimum: 0,
    maximum: 40,
    default: 0,
    description: 'selector hex digits in s-X.<host> (0 = the plain host)',
  }),
  maxMessageBytes: Type.Integer({
    minimum: 1024,
    maximum: 262_144,
    default: 65_535,
    description: 'largest SIP message taken or sent',
  }),
} as const;
