// Times each parser on the whole corpus: a warm-up, then several rounds with the parsers in a
// rotating order, each round a bounded time of back-to-back batches timed with hrtime. On a shared
// machine another process may hold the core during a batch; such a batch takes more wall time than
// the process got CPU time, and is left out. A round's rate is messages / wall time over its
// undisturbed batches (GC pauses included: they are CPU time of this process). No full GC is
// forced between rows: when no parsed message is left alive, a full GC lets the hidden classes of
// sipwake's message objects die and V8 drops the optimized code that depends on them (deopt
// reason "weak objects"), so the row would re-warm inside its timed round.
import process from 'node:process';

/**
 * A timed batch is a whole number of passes over the corpus, about this long: long enough to
 * dwarf the clock read, shorter than a scheduler time slice. (A peer slower than this gets one
 * pass a batch; SIP.js needs ~30 ms a pass.)
 */
const BATCH_NS = 1_000_000;

/** A batch is undisturbed when the process had the CPU for at least this share of its wall time. */
const UNDISTURBED = 0.95;

/**
 * @typedef {object} TimingOptions
 * @property {number} warmupMs Untimed run per parser before the first round.
 * @property {number} rounds
 * @property {number} roundMs Timed run per parser per round.
 */

/**
 * @typedef {object} Timing
 * @property {string} name
 * @property {number[]} rates msgs/s of each round.
 * @property {number} median msgs/s, the median of the rounds.
 * @property {number} messages Messages parsed in the timed rounds.
 * @property {number} kept Share of the batches that ran undisturbed.
 */

/**
 * @param {import('./parsers.mjs').BenchParser[]} parsers
 * @param {import('./corpus.mjs').CorpusMessage[]} corpus
 * @param {TimingOptions} options
 * @returns {Timing[]} in the order of `parsers`.
 */
export function timeParsers(parsers, corpus, options) {
  const inputs = parsers.map((p) => corpus.map((m) => (p.input === 'Buffer' ? m.bytes : m.text)));
  const expectedSink = corpus.reduce((sum, m) => sum + m.expected.bodyLength, 0);
  const rates = parsers.map(() => []);
  const messages = parsers.map(() => 0);
  const batches = parsers.map(() => 0);
  const kept = parsers.map(() => 0);

  const passes = parsers.map((p, i) => warmUp(p.read, inputs[i], options.warmupMs, expectedSink));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < parsers.length; k++) {
      const i = (round + k) % parsers.length;
      const run = runFor(parsers[i].read, inputs[i], passes[i], options.roundMs, expectedSink);
      const batch = passes[i] * inputs[i].length;
      const calm = run.batchNs.filter((ns, b) => run.batchCpuNs[b] >= UNDISTURBED * ns);
      // When no batch ran undisturbed (a peer whose one pass outlasts a time slice on a busy
      // machine), the median batch: an overestimate of its cost, never an underestimate.
      const ns = calm.length > 0 ? sum(calm) / calm.length : median(run.batchNs);
      rates[i].push((batch * 1e9) / ns);
      messages[i] += run.batchNs.length * batch;
      batches[i] += run.batchNs.length;
      kept[i] += calm.length;
    }
  }
  return parsers.map((p, i) => ({
    name: p.name,
    rates: rates[i],
    median: median(rates[i]),
    messages: messages[i],
    kept: kept[i] / batches[i],
  }));
}

/**
 * Runs untimed for `ms`, then measures one pass.
 * @returns {number} the passes per batch for this parser.
 */
function warmUp(read, inputs, ms, expectedSink) {
  const { batchNs } = runFor(read, inputs, 1, ms, expectedSink);
  const pass = median(batchNs.slice(batchNs.length >> 1));
  return Math.max(1, Math.min(256, Math.floor(BATCH_NS / Math.max(1, pass))));
}

/**
 * Parses the corpus in batches of `passes` until `ms` of wall time has passed (at least one).
 * @returns {{ batchNs: number[], batchCpuNs: number[] }} wall and CPU time of every batch.
 */
function runFor(read, inputs, passes, ms, expectedSink) {
  const batchNs = [];
  const batchCpuNs = [];
  const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  let cpu = process.cpuUsage();
  let now;
  do {
    let sink = 0;
    const start = process.hrtime.bigint();
    for (let pass = 0; pass < passes; pass++) {
      for (let i = 0; i < inputs.length; i++) sink += read(inputs[i]).bodyLength;
    }
    now = process.hrtime.bigint();
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    batchNs.push(Number(now - start));
    batchCpuNs.push((used.user + used.system) * 1e3);
    // Uses every result, so that no read can be optimised away, and catches a parser gone wrong.
    if (sink !== expectedSink * passes) throw new Error(`batch read ${sink} body octets`);
  } while (now < end);
  return { batchNs, batchCpuNs };
}

function sum(values) {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
