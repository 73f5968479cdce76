// What the registration side of the agent offers the calls side, and what the calls side
// offers back (`CallSide`). Types only: the registration side implements the directory, the
// push client and the clock; the calls side implements `createCallSide(deps)` in
// calls/call-side.ts. agent.ts wires the two together over one transaction layer.
import type {
  CheckpointRow,
  DeviceEvent,
  InstanceDevice,
  InstanceMode,
  InstanceState,
  PushRequest,
  PushResults,
} from '@sipwake/contracts';
import type {
  Clock,
  Inbound,
  PasswordCredentials,
  SendTarget,
  ServerTransaction,
  TransactionLayer,
  TransportProtocol,
} from '@sipwake/sip-stack';

/**
 * Time for the agent: `now()`/`setTimeout` are the monotonic clock every timer uses (a
 * sip-stack Clock, so a manual clock drives tests); `epochMs()` is wall-clock time for what is
 * stored or sent (`expiresAt`, `lastAt`, a device event's `at`).
 */
export interface AgentClock extends Clock {
  epochMs(): number;
}

/** The user's account as the agent holds it: the password stays sealed (see `credentials`). */
export interface AgentAccount {
  readonly username: string;
  readonly authUsername: string;
  readonly domain: string;
  /** Registrar URI, or null: REGISTERs go to the domain (RFC 3263). */
  readonly registrar: string | null;
  readonly outboundProxy: string | null;
  readonly transport: TransportProtocol | null;
  /** The expiry to ask for, or null for the agent's default. */
  readonly expiresSeconds: number | null;
}

/**
 * A device-side binding: a woken app REGISTERed to sipwake (the calls side keeps it and tells
 * the directory, so both sides see a device is live).
 */
export interface DeviceBinding {
  /** The binding's identity: its `+sip.instance` when given, else the contact URI. */
  readonly key: string;
  /** The device it belongs to, when the calls side could tell (RFC 8599 `pn-*` matching). */
  readonly deviceId: string | null;
  /** The contact URI the app registered. */
  readonly contact: string;
  /** Where requests to it go (through the router that carried its REGISTER). */
  readonly target: SendTarget;
  /** Monotonic ms (AgentClock.now()) when the binding expires. */
  readonly expiresAtMs: number;
}

/** One instance of this shard, as the directory holds it now. Read-only snapshot. */
export interface AgentInstance {
  readonly selector: string;
  /** The instance row's version (grows on every change by registration-api). */
  readonly version: number;
  readonly mode: InstanceMode;
  readonly account: AgentAccount;
  readonly devices: readonly InstanceDevice[];
  /** When the store last heard from the app through the API (epoch ms), null when never. */
  readonly lastSeenAt: number | null;
  /** The upstream registration state the registration side keeps. */
  readonly state: InstanceState;
  /** The last upstream registration state (as checkpointed), or null before the first REGISTER. */
  readonly registration: CheckpointRow | null;
  /** Live device-side bindings (set by the calls side through `setDeviceBinding`). */
  readonly deviceBindings: readonly DeviceBinding[];
  /**
   * Opens the sealed password for one use (digest on either side). The result must not be
   * kept, logged, or put in a span or error. Throws AgentError PASSWORD_UNREADABLE.
   */
  credentials(): PasswordCredentials;
}

/** What changed in the directory. */
export type DirectoryEvent =
  | { readonly kind: 'added'; readonly selector: string }
  | { readonly kind: 'changed'; readonly selector: string }
  | { readonly kind: 'removed'; readonly selector: string }
  /** The registration side changed the instance's upstream state. */
  | { readonly kind: 'state'; readonly selector: string }
  | { readonly kind: 'device'; readonly selector: string; readonly event: DeviceEvent }
  | { readonly kind: 'binding'; readonly selector: string }
  /** A device's push data changed: new data from a device-side REGISTER, or a token marked dead. */
  | { readonly kind: 'token'; readonly selector: string; readonly deviceId: string };

/**
 * A device's push data as a device-side REGISTER's RFC 8599 parameters give it: `token` the push
 * token (APNs device token, FCM registration token), `voipToken` the APNs VoIP token when the
 * REGISTER named one (absent: the held one stays).
 */
export interface DevicePushData {
  readonly token: string;
  readonly voipToken?: string;
}

export interface InstanceDirectory {
  /** The instance, or undefined when this shard does not hold it. */
  get(selector: string): AgentInstance | undefined;
  /** Every instance held (a snapshot). */
  list(): readonly AgentInstance[];
  size(): number;
  /** Calls `listener` after each change; returns the unsubscribe function. */
  onChange(listener: (event: DirectoryEvent) => void): () => void;
  /**
   * The calls side records (or refreshes) a device-side binding. Returns false when the
   * instance is not held (the binding is then not recorded).
   */
  setDeviceBinding(selector: string, binding: DeviceBinding): boolean;
  /** The calls side removes a device-side binding (unregistered, expired, flow closed). */
  removeDeviceBinding(selector: string, key: string): void;
  /**
   * RFC 8599: a woken app named new push data in its device-side REGISTER. The held device takes
   * it at once — the next push goes to the new token, and a dead-token mark is dropped (the store
   * clears it too). Returns false when the instance or the device is not held.
   */
  setDeviceToken(selector: string, deviceId: string, push: DevicePushData): boolean;
  /**
   * A push provider called `token` (the device's push or VoIP token) dead: the held device is not
   * pushed again until its app names new push data. A token the device no longer holds is left
   * alone (the app replaced it meanwhile). Returns false when nothing was marked.
   */
  markTokenDead(selector: string, deviceId: string, token: string): boolean;
}

/** Pushes over the bus push subject; rejects with AgentError PUSH_FAILED (bus or error reply). */
export interface PushClient {
  push(request: PushRequest): Promise<PushResults>;
}

/** The settings the calls side reads (a frozen slice of the agent's config). */
export interface CallSideConfig {
  /** This shard's name (logs, spans). */
  readonly shard: string;
  /** Digest realm of the device side. */
  readonly realm: string;
  /** DESIGN.md "Calls, step by step" T1: the wait for a device after the push (ms). */
  readonly wakeT1Ms: number;
  /** T2: the wait after "about to answer" (ms). */
  readonly wakeT2Ms: number;
  /** Largest SIP message the agent sends or takes (octets). */
  readonly maxMessageBytes: number;
  /** The routers' public SIP address, for Contact and Record-Route. */
  readonly publicHost: string;
  readonly publicPort: number;
  readonly publicTransport: TransportProtocol;
  /** The SIP host a push names (`sipHostFor(selector, hostPrefixLength, sipHost)`). */
  readonly sipHost: string;
  readonly hostPrefixLength: number;
}

/** What `createCallSide(deps)` is given. */
export interface CallSideDeps {
  readonly layer: TransactionLayer;
  readonly directory: InstanceDirectory;
  readonly push: PushClient;
  readonly clock: AgentClock;
  /** A pino logger (child of the agent's). */
  readonly log: CallSideLog;
  readonly config: CallSideConfig;
}

/** The pino subset the calls side logs through. */
export interface CallSideLog {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
  child(bindings: object): CallSideLog;
}

/**
 * The calls side. agent.ts hands it every new request (the transaction layer's onRequest:
 * the server transaction carries the request and the flow it came on), every matched CANCEL,
 * every stray ACK and stray response, and every device event (`about-to-answer`, presence) of
 * the shard's device subject after the directory applied it.
 */
export interface CallSide {
  handleRequest(tx: ServerTransaction): void;
  handleCancel(cancel: ServerTransaction, cancelled: ServerTransaction): void;
  handleStrayAck(inbound: Inbound, invite: ServerTransaction | undefined): void;
  handleStrayResponse(inbound: Inbound): void;
  handleDeviceEvent(event: DeviceEvent): void;
  /** Stops timers; answers or ends what is pending. Idempotent. */
  stop(): Promise<void>;
}
