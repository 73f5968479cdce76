// An in-memory DnsResolver for server-location tests: answers from a table, records every
// question, and fails the queries it is told to fail.
import { DnsError, type DnsRecordType } from '../dns/errors.js';
import type { AddressRecord, DnsResolver, NaptrRecord, SrvRecord } from '../dns/types.js';

export interface FakeZoneEntry {
  readonly NAPTR?: readonly NaptrRecord[];
  readonly SRV?: readonly SrvRecord[];
  /** Addresses, or records with a TTL. */
  readonly A?: readonly (string | AddressRecord)[];
  readonly AAAA?: readonly (string | AddressRecord)[];
  /** Queries of these types reject with a DnsError of the given code. */
  readonly fail?: Partial<Record<DnsRecordType, ConstructorParameters<typeof DnsError>[0]>>;
}

export type FakeZone = Readonly<Record<string, FakeZoneEntry>>;

export interface FakeDnsResolver extends DnsResolver {
  /** Every question asked, as `TYPE name`, in order. */
  readonly questions: string[];
}

export function createFakeResolver(zone: FakeZone): FakeDnsResolver {
  const questions: string[] = [];
  function ask<T>(
    type: DnsRecordType,
    name: string,
    pick: (e: FakeZoneEntry) => readonly T[] | undefined,
  ): Promise<readonly T[]> {
    questions.push(`${type} ${name}`);
    const entry = zone[name.toLowerCase()];
    const failure = entry?.fail?.[type];
    if (failure) return Promise.reject(new DnsError(failure, name, type, undefined));
    return Promise.resolve(entry ? (pick(entry) ?? []) : []);
  }
  const addresses = (list: readonly (string | AddressRecord)[] | undefined) =>
    list?.map((a) => (typeof a === 'string' ? { address: a, ttl: 300 } : a));
  return {
    questions,
    resolveNaptr: (name) => ask('NAPTR', name, (e) => e.NAPTR),
    resolveSrv: (name) => ask('SRV', name, (e) => e.SRV),
    resolve4: (name) => ask('A', name, (e) => addresses(e.A)),
    resolve6: (name) => ask('AAAA', name, (e) => addresses(e.AAAA)),
  };
}
