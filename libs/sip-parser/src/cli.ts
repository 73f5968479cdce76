#!/usr/bin/env node
// The `sip-parse` command: wires process streams to runSipParse (src/cli-main.ts).
import { readFile } from 'node:fs/promises';
import { runSipParse } from './cli-main.js';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

runSipParse(process.argv.slice(2), {
  readFile: (path) => readFile(path),
  readStdin,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`sip-parse: ${String(e)}\n`);
    process.exitCode = 2;
  },
);
