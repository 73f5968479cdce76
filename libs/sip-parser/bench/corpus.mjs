// Loads the benchmark corpus (bench/corpus/*.sip in the order of expected.json) and checks that
// its bytes are what a wire would carry, so that no parser is timed on a broken message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} Fields What every parser must read from a message.
 * @property {string | number} start Request method or response status code.
 * @property {string | null} viaBranch Top Via branch.
 * @property {string | null} fromTag
 * @property {string | null} toTag
 * @property {string} callId
 * @property {number} cseqSeq
 * @property {string} cseqMethod
 * @property {string | null} contactUri First Contact URI as written.
 * @property {number | null} contactExpires First Contact's expires parameter.
 * @property {number} bodyLength Body octets.
 */

/**
 * @typedef {object} CorpusMessage
 * @property {string} name File name.
 * @property {Buffer} bytes The message as received from a socket.
 * @property {string} text The same message as a string (one character per octet).
 * @property {Fields} expected
 */

/**
 * @param {string} dir The corpus directory.
 * @returns {CorpusMessage[]}
 */
export function loadCorpus(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
  return manifest.messages.map(({ file, fields }) => {
    const bytes = readFileSync(join(dir, file));
    checkWireShape(file, bytes);
    return { name: file, bytes, text: bytes.toString('latin1'), expected: fields };
  });
}

/**
 * RFC 3261 §7: lines end in CRLF, an empty line ends the header section, Content-Length counts
 * the body's octets. The corpus is 7-bit so that a peer's string length equals the byte length.
 * @param {string} file
 * @param {Buffer} bytes
 */
function checkWireShape(file, bytes) {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b > 0x7e || (b < 0x20 && b !== 0x0d && b !== 0x0a && b !== 0x09)) {
      throw new Error(`${file}: byte 0x${b.toString(16)} at ${i} is not 7-bit text`);
    }
    if (b === 0x0a && bytes[i - 1] !== 0x0d) throw new Error(`${file}: bare LF at ${i}`);
  }
  const text = bytes.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`${file}: no empty line after the headers`);
  const length = /\r\nContent-Length:[ \t]*(\d+)\r\n/i.exec(text.slice(0, end + 2));
  if (!length) throw new Error(`${file}: no Content-Length`);
  const body = bytes.length - end - 4;
  if (Number(length[1]) !== body) {
    throw new Error(`${file}: Content-Length ${length[1]} but the body has ${body} octets`);
  }
}
