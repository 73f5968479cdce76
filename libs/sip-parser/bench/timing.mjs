// Times each parser on the whole corpus: a warm-up, then several rounds with the parsers in a
// rotating order, each round a bounded time of back-to-back batches measured with hrtime. A
// round's rate comes from its median batch, so that batches during which another process held
// the core (a shared machine) do not count; the CPU share of the rounds says how contended it was.
import process from 'node:process';

/**
 * A timed batch is a whole number of passes over the corpus, about this long: long enough to
 * dwarf the clock read, shorter than a scheduler time slice. (A peer slower than this gets one
 * pass a batch; SIP.js needs ~30 ms a pass.)
 */
const BATCH_NS = 1_000_000;

/**
 * @typedef {object} TimingOptions
 * @property {number} warmupMs Untimed run per parser before the first round.
 * @property {number} rounds
 * @property {number} roundMs Timed run per parser per round.
 * @property {(() => void) | undefined} gc Collects garbage between runs (node --expose-gc), if any.
 */

/**
 * @typedef {object} Timing
 * @property {string} name
 * @property {number[]} rates msgs/s of each round.
 * @property {number} median msgs/s, the median of the rounds.
 * @property {number} messages Messages parsed in the timed rounds.
 * @property {number} cpuShare CPU time of this process / wall time, over the timed rounds.
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
  const wallNs = parsers.map(() => 0);
  const cpuUs = parsers.map(() => 0);

  const passes = parsers.map((p, i) => warmUp(p.read, inputs[i], options.warmupMs, expectedSink));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < parsers.length; k++) {
      const i = (round + k) % parsers.length;
      options.gc?.();
      const cpu = process.cpuUsage();
      const run = runFor(parsers[i].read, inputs[i], passes[i], options.roundMs, expectedSink);
      const used = process.cpuUsage(cpu);
      cpuUs[i] += used.user + used.system;
      wallNs[i] += Number(run.ns);
      rates[i].push((passes[i] * inputs[i].length * 1e9) / median(run.batchNs));
      messages[i] += run.messages;
    }
  }
  return parsers.map((p, i) => ({
    name: p.name,
    rates: rates[i],
    median: median(rates[i]),
    messages: messages[i],
    cpuShare: (cpuUs[i] * 1e3) / wallNs[i],
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
 * @returns {{ messages: number, ns: number, batchNs: number[] }} ns: wall time of the run.
 */
function runFor(read, inputs, passes, ms, expectedSink) {
  const batchNs = [];
  const begin = process.hrtime.bigint();
  const end = begin + BigInt(Math.round(ms * 1e6));
  let now = begin;
  do {
    let sink = 0;
    const start = now;
    for (let pass = 0; pass < passes; pass++) {
      for (let i = 0; i < inputs.length; i++) sink += read(inputs[i]).bodyLength;
    }
    now = process.hrtime.bigint();
    batchNs.push(Number(now - start));
    // Uses every result, so that no read can be optimised away, and catches a parser gone wrong.
    if (sink !== expectedSink * passes) throw new Error(`batch read ${sink} body octets`);
  } while (now < end);
  return { messages: batchNs.length * passes * inputs.length, ns: Number(now - begin), batchNs };
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
