// Readiness: the persister can do its work only while PostgreSQL answers and the bus is
// connected. Each check pings the database with a bound (a cut network must not hang a probe);
// the bound's timer is cleared as soon as the ping settles.
import type { Bus } from '@sipwake/bus';
import type { Database } from '@sipwake/db';

export const DependencyState = { Up: 'up', Down: 'down' } as const;
export type DependencyState = (typeof DependencyState)[keyof typeof DependencyState];

export interface ReadinessReport {
  readonly ready: boolean;
  readonly database: DependencyState;
  readonly bus: DependencyState;
}

export interface ReadinessOptions {
  readonly db: Database;
  readonly bus: Bus;
  /** How long a database ping may take before the database counts as down. */
  readonly pingTimeoutMs: number;
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
}

export function createReadiness(options: ReadinessOptions): Readiness {
  const { db, bus, pingTimeoutMs } = options;
  return {
    async check() {
      const database = (await pingWithin(db, pingTimeoutMs))
        ? DependencyState.Up
        : DependencyState.Down;
      const busState = bus.isHealthy() ? DependencyState.Up : DependencyState.Down;
      return {
        ready: database === DependencyState.Up && busState === DependencyState.Up,
        database,
        bus: busState,
      };
    },
  };
}

function pingWithin(db: Database, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    db.ping().then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(false);
      },
    );
  });
}
