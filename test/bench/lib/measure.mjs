// What the call-path benchmarks read about processes and series: CPU and RSS of a process from
// /proc, the kernel's UDP receive-buffer drops, percentiles, the load average, and a table.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const CLOCK_TICKS = 100;

/** utime + stime of a process in seconds (fields 14 and 15 of /proc/<pid>/stat). */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident set size in MB, from /proc/<pid>/status. */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) / 1024;
}

/** Kernel UDP counters (`RcvbufErrors`: datagrams dropped for a full receive buffer). */
export function udpRcvbufErrors() {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Udp:'));
  const names = lines[0].split(/\s+/);
  return Number(lines[1].split(/\s+/)[names.indexOf('RcvbufErrors')]);
}

/** CPU use of several processes over a window: start(), then stop() → { name: share of a core }. */
export function cpuWindow(pids) {
  const start = process.hrtime.bigint();
  const before = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuSeconds(pid)]));
  return () => {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return Object.fromEntries(
      Object.entries(pids).map(([n, pid]) => [n, (cpuSeconds(pid) - before[n]) / seconds]),
    );
  };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summary(values) {
  const sorted = Float64Array.from(values).sort();
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1],
  };
}

export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
export const fixed = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
export const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
export const percent = (share) => (Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : '—');

export function loadAverage() {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** Prints rows (objects with the same keys) as an aligned text table. */
export function printTable(rows) {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padStart(width[i])).join('  ');
  console.log(line(keys));
  for (const row of rows) console.log(line(keys.map((k) => row[k])));
}
