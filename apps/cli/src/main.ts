#!/usr/bin/env node
// The process: arguments, environment, signals. Everything else is in commands.ts.
import { runCommand } from './commands.js';
import { CliError } from './errors.js';

async function main(): Promise<void> {
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  try {
    const result = await runCommand(process.argv.slice(2), process.env, io);
    if ('exitCode' in result) {
      process.exitCode = result.exitCode;
      return;
    }
    let stopping = false;
    const shutdown = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      io.stderr.write(`sipwake: ${signal}, stopping\n`);
      result.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          io.stderr.write(`sipwake: stop failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message =
      error instanceof CliError
        ? error.message
        : error instanceof Error && typeof code === 'string'
          ? `${error.name} ${code}: ${error.message}`
          : String(error);
    io.stderr.write(`sipwake: ${message}\n`);
    process.exitCode = 1;
  }
}

void main();
