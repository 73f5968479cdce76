// What the benchmark prints: the machine it ran on and the table of results.
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import process from 'node:process';

/** @returns {string[]} lines naming the runtime and the CPU. */
export function describeMachine() {
  const cpu = cpus();
  return [
    `node ${process.version} (V8 ${process.versions.v8}) on ${process.platform}/${process.arch}`,
    `cpu: ${cpu[0]?.model ?? 'unknown'} × ${cpu.length}; this process may run on CPU ${allowedCpus()}`,
  ];
}

/** The CPUs this process is allowed on, from the kernel (Linux), as `taskset` set them. */
function allowedCpus() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    return /^Cpus_allowed_list:\s*(.+)$/m.exec(status)?.[1] ?? 'any';
  } catch {
    return 'any';
  }
}

/** @returns {string} V8 heap and RSS, in MiB. */
export function describeMemory() {
  const { heapUsed, heapTotal, rss } = process.memoryUsage();
  const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `heap used ${mib(heapUsed)} of ${mib(heapTotal)}, rss ${mib(rss)}`;
}

/**
 * @param {import('./parsers.mjs').BenchParser[]} parsers
 * @param {import('./timing.mjs').Timing[]} timings in the order of `parsers`.
 * @returns {{ table: string[], verdict: string }} the table, and the ratio line that ends the output.
 */
export function formatResults(parsers, timings) {
  const base = timings[0].median;
  const header = [
    'parser',
    'input',
    'msgs/s',
    'ns/msg',
    'vs sipwake',
    'rounds min/max',
    'msgs timed',
    'batches kept',
  ];
  const rows = timings.map((t, i) => [
    t.name,
    parsers[i].input,
    Math.round(t.median).toLocaleString('en-US'),
    (1e9 / t.median).toFixed(0),
    `${(t.median / base).toFixed(2)}×`,
    `${percent(Math.min(...t.rates) / t.median)} ${percent(Math.max(...t.rates) / t.median)}`,
    t.messages.toLocaleString('en-US'),
    `${(100 * t.kept).toFixed(0)}%`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells) =>
    cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const fastestPeer = Math.max(...timings.filter((_, i) => parsers[i].peer).map((t) => t.median));
  return {
    table: [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)],
    verdict: `sipwake vs fastest peer: ${(base / fastestPeer).toFixed(1)}×`,
  };
}

/** A ratio to the median as a signed percentage: 0.92 → `-8%`. */
const percent = (ratio) => `${ratio >= 1 ? '+' : '-'}${Math.abs(100 * (ratio - 1)).toFixed(0)}%`;
