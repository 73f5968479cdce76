// The open stream connections, found by id (a flow's connectionId) or by destination
// (protocol + address + port, whichever side opened the connection).
import { canonicalAddress } from './address.js';
import type { Connection } from './connection.js';
import type { TransportProtocol } from './types.js';

export interface Destination {
  readonly protocol: TransportProtocol;
  readonly address: string;
  readonly port: number;
}

export function destinationKey(d: Destination): string {
  return `${d.protocol}|${canonicalAddress(d.address)}|${d.port}`;
}

export class ConnectionTable {
  private readonly byId = new Map<string, Connection>();
  private readonly byKey = new Map<string, Connection[]>();
  /** Every connection whose socket is not closed yet, usable or closing. */
  private readonly sockets = new Set<Connection>();

  /** Open connections (closing ones excluded). */
  get size(): number {
    return this.byId.size;
  }

  add(connection: Connection): void {
    this.byId.set(connection.id, connection);
    const key = destinationKey({ ...connection.flow.remote, protocol: connection.flow.protocol });
    this.byKey.set(key, [...(this.byKey.get(key) ?? []), connection]);
    this.sockets.add(connection);
    void connection.closed.then(() => this.sockets.delete(connection));
  }

  /** Takes a closing connection out of the lookups (its socket may take a moment to close). */
  remove(connection: Connection): void {
    this.byId.delete(connection.id);
    const key = destinationKey({ ...connection.flow.remote, protocol: connection.flow.protocol });
    const rest = (this.byKey.get(key) ?? []).filter((c) => c !== connection);
    if (rest.length > 0) this.byKey.set(key, rest);
    else this.byKey.delete(key);
  }

  byConnectionId(id: string): Connection | undefined {
    const connection = this.byId.get(id);
    return connection?.isOpen ? connection : undefined;
  }

  /** The most recent open connection to this destination (that `accept` takes). */
  to(
    destination: Destination,
    accept: (connection: Connection) => boolean = () => true,
  ): Connection | undefined {
    const list = this.byKey.get(destinationKey(destination)) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const connection = list[i];
      if (connection?.isOpen && accept(connection)) return connection;
    }
    return undefined;
  }

  /** Every connection not yet fully closed. */
  all(): Connection[] {
    return [...this.sockets];
  }
}
