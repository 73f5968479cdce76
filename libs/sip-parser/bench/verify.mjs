// Before anything is timed: every parser must read the same, hand-written field values from every
// corpus message. A parser that reads nothing (or reads wrong) would be a fast but unfair peer.
import { deepStrictEqual } from 'node:assert/strict';
import { Buffer } from 'node:buffer';

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
 * sipwake's round trip: serializing a parsed message and parsing the result gives the same
 * fields. Returns how many messages came back byte for byte.
 * @param {{ parseMessage: Function, serializeMessage: Function }} sipwake
 * @param {import('./parsers.mjs').BenchParser} reader sipwake's row, to read the fields again.
 * @param {import('./corpus.mjs').CorpusMessage[]} corpus
 * @returns {number}
 */
export function verifyRoundTrip({ parseMessage, serializeMessage }, reader, corpus) {
  let identical = 0;
  for (const message of corpus) {
    const out = serializeMessage(parseMessage(message.bytes, { datagram: true }));
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
