// Before anything is timed: every parser must read the same, hand-written field values from every
// corpus message. A parser that reads nothing (or reads wrong) would be a fast but unfair peer.
import { deepStrictEqual } from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { sipwakeRoundTrip } from './parsers.mjs';

/**
 * @param {import('./parsers.mjs').BenchParser[]} parsers
 * @param {import('./corpus.mjs').CorpusMessage[]} corpus
 * @throws {Error} naming the parser, the message and the differing fields.
 */
export function verifyFields(parsers, corpus) {
  for (const parser of parsers) {
    for (const message of corpus) {
      const input = parser.input === 'Buffer' ? message.bytes : message.text;
      let got;
      try {
        got = parser.read(input);
      } catch (cause) {
        throw new Error(`${parser.name} fails on ${message.name}: ${cause.message}`, { cause });
      }
      try {
        deepStrictEqual(got, message.expected);
      } catch (cause) {
        throw new Error(`${parser.name} reads ${message.name} wrongly:\n${cause.message}`, {
          cause,
        });
      }
    }
  }
}

/**
 * sipwake's round trip: a parsed message, edited so that it is rebuilt, serializes to bytes that
 * parse to the same fields. Returns how many came back byte for byte.
 * @param {{ parseMessage: Function, serializeMessage: Function }} sipwake
 * @param {import('./parsers.mjs').BenchParser} reader sipwake's row, to read the fields again.
 * @param {import('./corpus.mjs').CorpusMessage[]} corpus
 * @returns {number}
 */
export function verifyRoundTrip(sipwake, reader, corpus) {
  let identical = 0;
  for (const message of corpus) {
    const { out } = sipwakeRoundTrip(sipwake, message.bytes);
    if (out.buffer === message.bytes.buffer) {
      throw new Error(`serializing an edited ${message.name} returned its input bytes`);
    }
    try {
      deepStrictEqual(reader.read(out), message.expected);
    } catch (cause) {
      throw new Error(`serialize(parse(${message.name})) reads back wrongly:\n${cause.message}`, {
        cause,
      });
    }
    if (Buffer.compare(out, message.bytes) === 0) identical++;
  }
  return identical;
}
