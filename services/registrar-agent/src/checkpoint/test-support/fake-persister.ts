// A state-persister stand-in on a bus: answers load requests from a map of instances (pages of
// `limit`) and checkpoint batches by applying their rows (newer versions only), then acking.
// `failNext` answers the next batches with a retryable error reply instead. Expire requests
// delete as state-persister must: only when the row still has the agent's version and no
// device was seen after `lastHeardAt`.
import type { Bus, Subscription } from '@sipwake/bus';
import {
  CheckpointBatch,
  decodeMessage,
  ExpireInstance,
  LoadRequest,
  parsePrefix,
  prefixMatches,
  subjects,
} from '@sipwake/contracts';
import type { CheckpointRow, LoadedInstance } from '@sipwake/contracts';

export interface FakePersister {
  readonly instances: Map<string, LoadedInstance>;
  /** Every batch received, in order (resends included). */
  readonly batches: CheckpointBatch[];
  /** Every expire request received, with the outcome it got. */
  readonly expires: { readonly request: ExpireInstance; readonly outcome: string }[];
  failNext: number;
  stop(): void;
}

export function startFakePersister(bus: Bus): FakePersister {
  const instances = new Map<string, LoadedInstance>();
  const batches: CheckpointBatch[] = [];
  const expires: FakePersister['expires'][number][] = [];
  const json = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
  const subs: Subscription[] = [];
  const persister: FakePersister = {
    instances,
    batches,
    expires,
    failNext: 0,
    stop: () => subs.forEach((s) => s.unsubscribe()),
  };
  subs.push(
    bus.subscribe(subjects.stateLoad, (m) => {
      const request = decodeMessage(LoadRequest, m.data);
      const prefixes = request.prefixes.map((p) => parsePrefix(p));
      const all = [...instances.values()]
        .filter((i) => prefixes.some((p) => prefixMatches(p, i.selector)))
        .filter((i) => request.cursor === undefined || i.selector > request.cursor)
        .sort((a, b) => (a.selector < b.selector ? -1 : 1));
      const page = all.slice(0, request.limit);
      const more = all.length > request.limit;
      m.respond(
        json({ instances: page, nextCursor: more ? page[page.length - 1]!.selector : null }),
      );
    }),
    bus.subscribe(subjects.stateCheckpoint, (m) => {
      const batch = decodeMessage(CheckpointBatch, m.data);
      batches.push(batch);
      if (persister.failNext > 0) {
        persister.failNext -= 1;
        m.respond(json({ error: { code: 'STORE_FAILED', message: 'down', retryable: true } }));
        return;
      }
      for (const row of batch.rows) apply(instances, row);
      m.respond(json({ batchId: batch.batchId, committed: batch.rows.length }));
    }),
    bus.subscribe(subjects.stateExpire, (m) => {
      const request = decodeMessage(ExpireInstance, m.data);
      const outcome = expire(instances, request);
      expires.push({ request, outcome });
      m.respond(json({ outcome }));
    }),
  );
  return persister;
}

function apply(instances: Map<string, LoadedInstance>, row: CheckpointRow): void {
  const instance = instances.get(row.selector);
  if (!instance) return;
  if (instance.registration && instance.registration.version >= row.version) return;
  instances.set(row.selector, { ...instance, registration: row });
}

function expire(instances: Map<string, LoadedInstance>, request: ExpireInstance): string {
  const instance = instances.get(request.selector);
  if (!instance) return 'gone';
  const seenLater = instance.devices.some(
    (d) => d.lastSeenAt !== null && d.lastSeenAt > request.lastHeardAt,
  );
  if (instance.version !== request.version || seenLater) return 'kept';
  instances.delete(request.selector);
  return 'deleted';
}
