// The sipwake command line: one function per command, given its arguments, the environment and
// its streams; the process itself is wired in main.ts.
import { runSipParse } from '@sipwake/sip-parser';
import { readFile } from 'node:fs/promises';
import { CliError, CliErrorCode } from './errors.js';
import { runKeys } from './keys.js';
import { startSipwake, type RunningSipwake } from './run/start.js';
import { serviceCatalog } from './run/catalog.js';

export interface CliIo {
  readonly stdin: NodeJS.ReadableStream;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** A command that keeps running until told to stop (start) returns its stop function. */
export type CommandResult = { readonly exitCode: number } | { readonly stop: () => Promise<void> };

const serviceNames = serviceCatalog.map((s) => s.name).join(', ');

const usage = `usage: sipwake <command>

commands:
  start [SERVICE...]
                run sipwake: every service in one process, or the named ones
                (${serviceNames}); configuration: SIPWAKE_* variables, see README
  parse FILE    print a captured SIP message as JSON (- reads standard input)
  keys ...      the key file of sealed passwords: generate, add, rotate, remove (sipwake keys help)
  help          this text
`;

export async function runCommand(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<CommandResult> {
  const [command] = args;
  switch (command) {
    case 'start':
      return { stop: (await start(args.slice(1), env, io)).stop };
    case 'parse':
      return { exitCode: await parse(args.slice(1), io) };
    case 'keys':
      return { exitCode: await runKeys(args.slice(1), env, io) };
    case 'help':
    case '--help':
    case '-h':
    case undefined:
      io.stdout.write(usage);
      return { exitCode: command === undefined ? 2 : 0 };
    default:
      throw new CliError(CliErrorCode.Usage, `unknown command "${command}"\n${usage}`);
  }
}

async function start(
  services: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): Promise<RunningSipwake> {
  const running = await startSipwake(services, { env, logStream: io.stdout });
  for (const { service, name, url } of running.endpoints) {
    io.stderr.write(`sipwake: ${service} ${name} ${url}\n`);
  }
  io.stderr.write('sipwake: ready\n');
  return running;
}

async function parse(args: readonly string[], io: CliIo): Promise<number> {
  return runSipParse(args, {
    readFile: (path) => readFile(path),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks);
    },
    stdout: (text) => void io.stdout.write(text),
    stderr: (text) => void io.stderr.write(text),
  });
}
