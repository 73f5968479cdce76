// Times each parser on the whole corpus: a warm-up, then several rounds with the parsers in a
// rotating order, each round a bounded time of back-to-back batches measured with hrtime.
import process from 'node:process';

/**
 * A timed batch is a whole number of passes over the corpus, about this long: long enough to
 * dwarf the clock read, short enough to end a round on time (the slowest peer takes ~30 ms a pass).
 */
const BATCH_NS = 2_000_000;

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

  const passes = parsers.map((p, i) => warmUp(p.read, inputs[i], options.warmupMs, expectedSink));
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < parsers.length; k++) {
      const i = (round + k) % parsers.length;
      options.gc?.();
      const run = runFor(parsers[i].read, inputs[i], passes[i], options.roundMs, expectedSink);
      rates[i].push((run.messages * 1e9) / Number(run.ns));
      messages[i] += run.messages;
    }
  }
  return parsers.map((p, i) => ({
    name: p.name,
    rates: rates[i],
    median: median(rates[i]),
    messages: messages[i],
  }));
}

/**
 * Runs untimed for `ms`, then measures one pass.
 * @returns {number} the passes per batch for this parser.
 */
function warmUp(read, inputs, ms, expectedSink) {
  runFor(read, inputs, 1, ms, expectedSink);
  const { ns } = runFor(read, inputs, 1, 0, expectedSink);
  return Math.max(1, Math.min(256, Math.floor(BATCH_NS / Math.max(1, Number(ns)))));
}

/**
 * Parses the corpus in batches of `passes` until `ms` of batch time has passed (at least one).
 * @returns {{ messages: number, ns: bigint }}
 */
function runFor(read, inputs, passes, ms, expectedSink) {
  const budget = BigInt(Math.round(ms * 1e6));
  let ns = 0n;
  let batches = 0;
  do {
    let sink = 0;
    const start = process.hrtime.bigint();
    for (let pass = 0; pass < passes; pass++) {
      for (let i = 0; i < inputs.length; i++) sink += read(inputs[i]).bodyLength;
    }
    ns += process.hrtime.bigint() - start;
    batches++;
    // Uses every result, so that no read can be optimised away, and catches a parser gone wrong.
    if (sink !== expectedSink * passes) throw new Error(`batch read ${sink} body octets`);
  } while (ns < budget);
  return { messages: batches * passes * inputs.length, ns };
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
