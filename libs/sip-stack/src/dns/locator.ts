// RFC 3263 §4: from a SIP/SIPS URI to the ordered targets (transport, address, port) to try.
// Lookups happen as the targets are consumed: a caller that succeeds on the first target never
// resolves the addresses of the others.
import { isIP } from 'node:net';
import type { TransportProtocol } from '../transport/types.js';
import { selectNaptrServices } from './naptr.js';
import { isUnavailableTarget, orderSrvRecords, type RandomSource } from './srv-order.js';
import type { AddressFamily, DnsResolver, SrvRecord, Target } from './types.js';
import {
  DEFAULT_PORTS,
  defaultProtocol,
  normalizeHost,
  planLookup,
  SRV_PREFIXES,
  type LocatableUri,
  type LookupPlan,
} from './uri-plan.js';

export interface ServerLocatorOptions {
  readonly resolver: DnsResolver;
  /** The transports this stack can send on. */
  readonly transports: readonly TransportProtocol[];
  /** Address families in order of preference; default [6, 4] (AAAA before A). [4] = IPv4 only. */
  readonly families?: readonly AddressFamily[];
  /** Random source for the RFC 2782 weighted draw; default Math.random. */
  readonly random?: RandomSource;
  /** Ports used when neither the URI nor SRV gives one; default DEFAULT_PORTS. */
  readonly defaultPorts?: Partial<Readonly<Record<TransportProtocol, number>>>;
  /** At most this many targets per URI; default 32. */
  readonly maxTargets?: number;
}

export interface ServerLocator {
  /**
   * The targets of a URI in the order to try them, looked up as they are consumed. Throws
   * LocateError for a URI that names no server, and the first DnsError when DNS failed and no
   * target was found at all (a failed query with other answers found is passed over).
   */
  targets(uri: LocatableUri): AsyncIterable<Target>;
  /** Every target of a URI (up to maxTargets), in order. */
  resolve(uri: LocatableUri): Promise<Target[]>;
}

/**
 * Without NAPTR records, RFC 3263 §4.1 lets the client query SRV "for those transport protocols
 * it supports"; TLS is preferred, then TCP, then UDP (the order of the RFC's own NAPTR example).
 */
const SRV_FALLBACK_ORDER: readonly TransportProtocol[] = ['tls', 'tcp', 'udp', 'wss', 'ws'];

export function createServerLocator(options: ServerLocatorOptions): ServerLocator {
  const settings = {
    resolver: options.resolver,
    transports: [...options.transports],
    families: options.families ? [...options.families] : ([6, 4] as AddressFamily[]),
    random: options.random ?? Math.random,
    ports: { ...DEFAULT_PORTS, ...options.defaultPorts },
    maxTargets: options.maxTargets ?? 32,
  };
  const targets = (uri: LocatableUri): AsyncIterable<Target> => ({
    [Symbol.asyncIterator]: () => locate(settings, uri),
  });
  return {
    targets,
    async resolve(uri) {
      const all: Target[] = [];
      for await (const target of targets(uri)) all.push(target);
      return all;
    },
  };
}

type Settings = {
  readonly resolver: DnsResolver;
  readonly transports: readonly TransportProtocol[];
  readonly families: readonly AddressFamily[];
  readonly random: RandomSource;
  readonly ports: Readonly<Record<TransportProtocol, number>>;
  readonly maxTargets: number;
};

/** The state of one lookup: nothing is shared between two URIs or two calls. */
interface Lookup {
  readonly settings: Settings;
  readonly serverName: string | undefined;
  readonly seen: Set<string>;
  readonly errors: unknown[];
  count: number;
}

async function* locate(settings: Settings, uri: LocatableUri): AsyncGenerator<Target> {
  const plan = planLookup(uri, settings.transports);
  if (plan.kind === 'address') {
    yield {
      protocol: plan.protocol,
      address: plan.address,
      port: plan.port,
      serverName: undefined,
    };
    return;
  }
  const lookup: Lookup = {
    settings,
    serverName: plan.host,
    seen: new Set(),
    errors: [],
    count: 0,
  };
  yield* planTargets(lookup, plan);
  if (lookup.count === 0 && lookup.errors.length > 0) throw lookup.errors[0];
}

async function* planTargets(
  lookup: Lookup,
  plan: Exclude<LookupPlan, { kind: 'address' }>,
): AsyncGenerator<Target> {
  const { settings } = lookup;
  if (plan.kind === 'hosts') {
    yield* hostTargets(lookup, plan.host, plan.protocol, plan.port);
    return;
  }
  if (plan.kind === 'srv') {
    // RFC 3263 §4.2: "If the TARGET was not a numeric IP address, and no port was present in the
    // URI, the client performs an SRV query on the record returned from the NAPTR processing…
    // If no NAPTR processing was done because a transport was specified explicitly, the client
    // performs an SRV query for that specific transport".
    const srvName = `${SRV_PREFIXES[plan.protocol]}.${plan.host}`;
    const found = yield* srvTargets(
      lookup,
      pending(lookup, settings.resolver.resolveSrv(srvName)),
      plan.protocol,
    );
    if (!found) yield* hostTargets(lookup, plan.host, plan.protocol, settings.ports[plan.protocol]);
    return;
  }

  const secure = plan.secure;
  const naptr = await pending(lookup, settings.resolver.resolveNaptr(plan.host));
  const services = selectNaptrServices(naptr, secure, settings.transports);
  let found = false;
  if (services.length > 0) {
    for (const service of services) {
      const answer = pending(lookup, settings.resolver.resolveSrv(service.srvName));
      if (yield* srvTargets(lookup, answer, service.protocol)) found = true;
      if (lookup.count >= settings.maxTargets) return;
    }
  } else {
    // RFC 3263 §4.1: "If no NAPTR records are found, the client constructs SRV queries for those
    // transport protocols it supports, and does a query for each. Queries are done using the
    // service identifier "_sip" for SIP URIs and "_sips" for SIPS URIs."
    const queries = SRV_FALLBACK_ORDER.filter(
      (p) => settings.transports.includes(p) && (!secure || p === 'tls' || p === 'wss'),
    ).map((protocol) => ({
      protocol,
      answer: pending(
        lookup,
        settings.resolver.resolveSrv(`${SRV_PREFIXES[protocol]}.${plan.host}`),
      ),
    }));
    for (const query of queries) {
      if (yield* srvTargets(lookup, query.answer, query.protocol)) found = true;
      if (lookup.count >= settings.maxTargets) return;
    }
  }
  if (found) return;
  // RFC 3263 §4.2: "If no SRV records were found, the client performs an A or AAAA record
  // lookup of the domain name… at the default port for that transport"; §4.1: "If no SRV
  // records are found, the client SHOULD use TCP for a SIPS URI, and UDP for a SIP URI."
  const protocol = defaultProtocol(secure, settings.transports);
  if (protocol) yield* hostTargets(lookup, plan.host, protocol, settings.ports[protocol]);
}

/**
 * Targets of one SRV answer, in RFC 2782 order. Returns whether the answer had records at all:
 * a lone "." target means the service is not offered, which is an answer too.
 */
async function* srvTargets(
  lookup: Lookup,
  answer: Promise<readonly SrvRecord[]>,
  protocol: TransportProtocol,
): AsyncGenerator<Target, boolean> {
  const records = await answer;
  if (records.length === 0) return false;
  if (records.every(isUnavailableTarget)) return true;
  for (const record of orderSrvRecords(records, lookup.settings.random)) {
    yield* hostTargets(lookup, normalizeHost(record.name), protocol, record.port);
    if (lookup.count >= lookup.settings.maxTargets) break;
  }
  return true;
}

/** A/AAAA of one host, families in the configured order, at a known port. */
async function* hostTargets(
  lookup: Lookup,
  host: string,
  protocol: TransportProtocol,
  port: number,
): AsyncGenerator<Target> {
  const { resolver, families, maxTargets } = lookup.settings;
  // An SRV target should be a name; an address written there is taken as it is.
  const literal = isIP(host);
  const answers = families.map((family) =>
    literal !== 0
      ? Promise.resolve(literal === family ? [{ address: host }] : [])
      : pending(lookup, family === 6 ? resolver.resolve6(host) : resolver.resolve4(host)),
  );
  for (const answer of answers) {
    for (const record of await answer) {
      if (lookup.count >= maxTargets) return;
      const key = `${protocol} ${record.address} ${port}`;
      if (lookup.seen.has(key)) continue;
      lookup.seen.add(key);
      lookup.count++;
      yield { protocol, address: record.address, port, serverName: lookup.serverName };
    }
  }
}

/**
 * A query whose failure does not end the lookup: the error is kept (and thrown if no target
 * is found at all) and the answer counts as empty, so that a resolver that fails NAPTR or AAAA
 * queries still leads to SRV and A answers.
 */
function pending<T>(lookup: Lookup, query: Promise<readonly T[]>): Promise<readonly T[]> {
  return query.catch((error: unknown) => {
    lookup.errors.push(error);
    return [];
  });
}
