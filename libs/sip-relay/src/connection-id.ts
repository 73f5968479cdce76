// A stream connection lives in one router: the agent names it by that router's id and the
// router's own connection id, so that a later send on it goes to the router that holds it.

/** Router ids are one subject token (`[A-Za-z0-9_-]`), so the first `/` ends one. */
const SEPARATOR = '/';

export interface RouterConnection {
  readonly routerId: string;
  /** The router transport's connection id. */
  readonly connectionId: string;
}

/** `<routerId>/<router's connection id>`: the `Flow.connectionId` the agent sees. */
export function relayConnectionId(routerId: string, connectionId: string): string {
  return `${routerId}${SEPARATOR}${connectionId}`;
}

/** The router and its connection a relay connection id names; undefined for any other id. */
export function parseRelayConnectionId(id: string): RouterConnection | undefined {
  const at = id.indexOf(SEPARATOR);
  if (at <= 0 || at === id.length - 1) return undefined;
  const routerId = id.slice(0, at);
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(routerId)) return undefined;
  return { routerId, connectionId: id.slice(at + 1) };
}
