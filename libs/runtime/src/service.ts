// The contract between a sipwake process and the services it runs. The process (the `sipwake`
// command) opens what they share once — bus, database, key ring, telemetry — and starts each
// service with it and with that service's own settings; a service never reads the environment.
import type { Static, TObject } from '@sinclair/typebox';
import type { Bus } from '@sipwake/bus';
import type { Database } from '@sipwake/db';
import type { KeyRing } from '@sipwake/secrets';
import type { Logger, Telemetry } from '@sipwake/telemetry';

export interface ServiceHost {
  readonly bus: Bus;
  readonly db: Database;
  readonly keyRing: KeyRing;
  /** Already bound to the service (`service` field). */
  readonly log: Logger;
  readonly telemetry: Telemetry;
  /** The process's name on the bus and in ids (unique per process). */
  readonly processId: string;
}

/** Where a started service can be reached, printed at start (`sip udp`, `udp://127.0.0.1:5060`). */
export interface ServiceEndpoint {
  readonly name: string;
  readonly url: string;
}

export interface RunningService {
  readonly endpoints: readonly ServiceEndpoint[];
  /** Refuses new work, finishes what is in flight, releases; idempotent. */
  stop(): Promise<void>;
}

export interface ServiceDefinition<S extends TObject = TObject> {
  readonly name: string;
  /** The service's own settings (SIPWAKE_* variables), beside the process's shared ones. */
  readonly configSchema: S;
  start(host: ServiceHost, config: Static<S>): Promise<RunningService>;
}
