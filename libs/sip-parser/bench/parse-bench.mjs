// B1 (shared/BENCHMARKS.md): SIP parse (+ serialize) throughput of sipwake's parser against the
// JavaScript SIP parsers npm `sip`, JsSIP and SIP.js, on one corpus, in one run.
//
//   node bench/parse-bench.mjs [--quick] [--no-pin]
//
// Expects the built parser in dist/ (`npm run bench` builds it first). Re-executes itself under
// `taskset -c 1` (one core, when taskset exists).
import { spawnSync } from 'node:child_process';
import console from 'node:console';
import { availableParallelism } from 'node:os';
import { URL, fileURLToPath } from 'node:url';
import process from 'node:process';
import { loadCorpus } from './corpus.mjs';
import { loadParsers } from './parsers.mjs';
import { describeMachine, describeMemory, formatResults } from './report.mjs';
import { timeParsers } from './timing.mjs';
import { verifyFields, verifyRoundTrip } from './verify.mjs';

const USAGE = `usage: node bench/parse-bench.mjs [--quick] [--no-pin]
  --quick   a short run (about 3 s) to check that the benchmark works
  --no-pin  do not pin the process to one core with taskset`;

/** Many short rounds: a machine whose speed drifts (other jobs, other VMs) slows every row alike. */
const RUNS = {
  full: { warmupMs: 400, rounds: 20, roundMs: 150 },
  quick: { warmupMs: 100, rounds: 5, roundMs: 60 },
};

/** Set in the re-executed child: how it was pinned. */
const CHILD_ENV = 'SIPWAKE_BENCH_PINNING';

function main(argv) {
  const args = new Set(argv);
  const unknown = [...args].filter((a) => !['--quick', '--no-pin'].includes(a));
  if (args.has('--help') || unknown.length > 0) {
    console.error(USAGE);
    return args.has('--help') ? 0 : 2;
  }
  const pinning = process.env[CHILD_ENV];
  if (pinning === undefined) return reexec(argv, !args.has('--no-pin'));
  return run(args.has('--quick') ? RUNS.quick : RUNS.full, pinning);
}

/** Runs this script again, on one core when taskset exists. */
function reexec(argv, pin) {
  const script = fileURLToPath(import.meta.url);
  const node = [process.execPath, script, ...argv];
  const core = String(availableParallelism() > 1 ? 1 : 0);
  const hasTaskset = pin && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
  const pinning = hasTaskset
    ? `pinned to CPU ${core} (re-executed under taskset -c ${core})`
    : `not pinned (${pin ? 'taskset not found' : '--no-pin'})`;
  const [command, ...rest] = hasTaskset ? ['taskset', '-c', core, ...node] : node;
  const child = spawnSync(command, rest, {
    stdio: 'inherit',
    env: { ...process.env, [CHILD_ENV]: pinning },
  });
  if (child.error) throw child.error;
  return child.status ?? 1;
}

async function run(options, pinning) {
  const startedAt = process.hrtime.bigint();
  const sipwake = await import(new URL('../dist/index.js', import.meta.url).href).catch((cause) => {
    throw new Error('the parser is not built: run `npx tsc -p tsconfig.build.json` first', {
      cause,
    });
  });
  const corpus = loadCorpus(fileURLToPath(new URL('./corpus', import.meta.url)));
  const parsers = await loadParsers(sipwake);
  const octets = corpus.reduce((sum, m) => sum + m.bytes.length, 0);

  console.log('B1 SIP parser benchmark');
  for (const line of describeMachine()) console.log(line);
  console.log(`process: ${pinning}`);
  console.log(
    `corpus: ${corpus.length} messages, ${octets} octets (${corpus.map((m) => m.name.replace(/\.sip$/, '')).join(', ')})`,
  );
  console.log(
    'input: sipwake parses Buffers (as a socket delivers them); sip, JsSIP and SIP.js parse strings,\n' +
      '       decoded once before timing (decoding not counted); every row reads the same 10 fields',
  );

  verifyFields(parsers, corpus);
  const identical = verifyRoundTrip(sipwake, parsers[0], corpus);
  console.log(
    `verified: ${parsers.length} rows × ${corpus.length} messages read the expected fields; ` +
      `serialize(parse(m)) reads back the same, ${identical}/${corpus.length} byte for byte`,
  );
  console.log(
    `timing: ${options.warmupMs} ms warm-up, then ${options.rounds} rounds × ${options.roundMs} ms per parser, ` +
      'rotating order; median of rounds\n',
  );

  const timings = timeParsers(parsers, corpus, options);
  const { table, verdict } = formatResults(parsers, timings);
  for (const line of table) console.log(line);
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  console.log(`\nafter the run: ${describeMemory()}; ${seconds.toFixed(1)} s in all`);
  console.log(verdict);
  return 0;
}

Promise.resolve()
  .then(() => main(process.argv.slice(2)))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
