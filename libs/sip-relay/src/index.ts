// @sipwake/sip-relay: SIP over the bus. The selector markers sipwake writes into SIP and finds
// again (one definition for routers and agents), and the relay transport an agent's transaction
// layer runs on: it receives and sends through routers.
export {
  contactFor,
  contactUriFor,
  findSelector,
  recordRouteFor,
  relayBranch,
  RELAY_BRANCH_MARKER,
  routerRouteUri,
  SELECTOR_URI_PARAM,
  selectorFromBranch,
  selectorFromUri,
  SelectorSource,
} from './markers.js';
export type { FindSelectorOptions, RouterAddress, SelectorMatch } from './markers.js';
export { createRelayTransport } from './relay-transport.js';
export type { RelayTransport } from './relay-transport.js';
export { relayDefaults } from './relay-options.js';
export type {
  AdvertisedEndpoint,
  ForwardFacts,
  RelayLog,
  RelayTransportOptions,
} from './relay-options.js';
export { parseRelayConnectionId, relayConnectionId } from './connection-id.js';
export type { RouterConnection } from './connection-id.js';
export { RelayError, RelayErrorCode } from './errors.js';
