// The load side of B8: POSTs with bounded concurrency over keep-alive connections, bounded in
// count and wall-clock time, each latency recorded; and the figures of one run.
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';

export interface LoadOptions {
  readonly port: number;
  readonly path: string;
  readonly count: number;
  readonly concurrency: number;
  readonly maxMs: number;
  /** The body of the i-th request. */
  readonly body: (i: number) => string;
}

export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  readonly failures: number;
  readonly seconds: number;
  /** Milliseconds, sorted. */
  readonly latencies: Float64Array;
  readonly firstFailure: string | undefined;
}

function post(agent: Agent, port: number, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies = new Float64Array(options.count);
  let next = 0;
  let ok = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const deadline = started + options.maxMs;
  const worker = async (): Promise<void> => {
    while (next < options.count && performance.now() < deadline) {
      const i = next;
      next += 1;
      const body = options.body(i);
      const t0 = performance.now();
      try {
        const status = await post(agent, options.port, options.path, body);
        if (status === 201) ok += 1;
        else {
          failures += 1;
          firstFailure ??= `HTTP ${status}`;
        }
      } catch (error) {
        failures += 1;
        firstFailure ??= (error as Error).message;
      }
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const done = latencies.slice(0, next).sort();
  return { sent: next, ok, failures, seconds, latencies: done, firstFailure };
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds of a process so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}
