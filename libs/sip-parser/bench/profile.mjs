// Profiles sipwake's parser on the benchmark corpus with V8's sampling profiler and prints where
// the time goes, mapped back to src/ through the build's source maps.
//
//   node bench/profile.mjs [--seconds N] [--round-trip] [--no-inlining] [--keep FILE.cpuprofile]
//
// Runs the sipwake row of the benchmark (parse + field reads; with --round-trip also serialize)
// for N seconds (default 5, at most 30) after a warm-up, under the inspector's CPU profiler
// (what `node --cpu-prof` uses, without the start-up), pinned like the benchmark.
//
// V8 counts the time of an inlined function as its caller's, and may give an inlined callee's
// line numbers as if they were the caller's file. --no-inlining (V8 --no-turbo-inlining) makes
// every function and line exact, at the price of slower code with other proportions.
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { SourceMap } from 'node:module';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { loadCorpus } from './corpus.mjs';
import { loadParsers } from './parsers.mjs';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const TOP = 25;

/** Set in the re-executed child: how it was pinned. */
const CHILD_ENV = 'SIPWAKE_PROFILE_PINNING';

function parseArgs(argv) {
  const options = { seconds: 5, roundTrip: false, noInlining: false, keep: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seconds') options.seconds = Math.min(30, Math.max(1, Number(argv[++i])));
    else if (arg === '--round-trip') options.roundTrip = true;
    else if (arg === '--no-inlining') options.noInlining = true;
    else if (arg === '--keep') options.keep = argv[++i];
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!Number.isFinite(options.seconds)) throw new Error('--seconds takes a number');
  return options;
}

/** Runs this script again, under `taskset -c 1` when taskset exists; false in the child. */
function reexec(argv, { noInlining }) {
  if (process.env[CHILD_ENV] !== undefined) return false;
  const core = String(availableParallelism() > 1 ? 1 : 0);
  const pin = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
  const v8 = noInlining ? ['--no-turbo-inlining'] : [];
  const node = [process.execPath, ...v8, fileURLToPath(import.meta.url), ...argv];
  const [command, ...rest] = pin ? ['taskset', '-c', core, ...node] : node;
  const pinning = pin ? `pinned to CPU ${core} (taskset -c ${core})` : 'not pinned (no taskset)';
  const run = spawnSync(command, rest, {
    stdio: 'inherit',
    env: { ...process.env, [CHILD_ENV]: `${pinning}${noInlining ? ', V8 inlining off' : ''}` },
  });
  if (run.error) throw run.error;
  process.exitCode = run.status ?? 1;
  return true;
}

/** Parses the corpus in a loop: `seconds` of warm-up, then `seconds` under the profiler. */
async function profileParser({ seconds, roundTrip, noInlining, keep }) {
  const sipwake = await import(new URL('../dist/index.js', import.meta.url).href);
  const corpus = loadCorpus(fileURLToPath(new URL('./corpus', import.meta.url)));
  const parsers = await loadParsers(sipwake);
  const { name, read } = parsers[roundTrip ? 1 : 0];
  const inputs = corpus.map((m) => m.bytes);
  loop(read, inputs, Math.min(seconds, 2));

  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  const messages = loop(read, inputs, seconds);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();

  console.log(`profiled ${name}: ${messages} messages in ${seconds} s; ${process.env[CHILD_ENV]}`);
  for (const line of summarize(profile, !noInlining)) console.log(line);
  if (keep) {
    writeFileSync(keep, JSON.stringify(profile));
    console.log(`\nprofile written to ${keep} (open it in Chrome DevTools or speedscope)`);
  }
}

function loop(read, inputs, seconds) {
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  let messages = 0;
  let sink = 0;
  while (process.hrtime.bigint() < end) {
    for (const input of inputs) sink += read(input).bodyLength;
    messages += inputs.length;
  }
  if (sink < 0) throw new Error('unreachable: keeps the reads alive');
  return messages;
}

/** Self time per function and per source line, as shares of all samples. */
function summarize(profile, inlining) {
  const samples = new Map();
  for (const id of profile.samples) samples.set(id, (samples.get(id) ?? 0) + 1);
  const total = profile.samples.length;
  const byFunction = new Map();
  const byLine = new Map();
  const locate = sourceLocator();
  for (const node of profile.nodes) {
    const ticks = samples.get(node.id) ?? 0;
    if (ticks === 0) continue;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const where = locate(url, lineNumber, columnNumber);
    const name = `${functionName || '(anonymous)'}  ${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ticks);
    for (const { line, ticks: lineTicks } of node.positionTicks ?? []) {
      const at = `${locate(url, line - 1, undefined)}  in ${functionName || '(anonymous)'}`;
      byLine.set(at, (byLine.get(at) ?? 0) + lineTicks);
    }
  }
  const top = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, TOP)
      .map(([name, ticks]) => `${((100 * ticks) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `\n${total} samples; self time by function${inlining ? ' (with the functions V8 inlined in it)' : ''}:`,
    ...top(byFunction),
    `\nself time by source line${inlining ? ' (an inlined callee may show under its caller; see --no-inlining)' : ''}:`,
    ...top(byLine),
  ];
}

/** Maps a generated position in dist/ back to src/ (file:line, 1-based); others as they are. */
function sourceLocator() {
  const maps = new Map();
  const mapFor = (path) => {
    if (!maps.has(path)) {
      try {
        maps.set(path, new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))));
      } catch {
        maps.set(path, undefined);
      }
    }
    return maps.get(path);
  };
  return (url, line, column) => {
    if (!url.startsWith('file://')) return url ? `${url}:${line + 1}` : '(native)';
    const path = fileURLToPath(url);
    // Without a column, the last mapping on the line: tsc maps each statement's first token.
    const entry = mapFor(path)?.findEntry(line, column ?? 1e6);
    if (entry && 'originalSource' in entry) {
      const source = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : join(path, '..', entry.originalSource);
      return `${relative(packageDir, source)}:${entry.originalLine + 1}`;
    }
    return `${relative(packageDir, path)}:${line + 1}`;
  };
}

const argv = process.argv.slice(2);
Promise.resolve()
  .then(() => {
    const options = parseArgs(argv);
    return reexec(argv, options) ? undefined : profileParser(options);
  })
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
