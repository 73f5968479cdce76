import { PassThrough } from 'node:stream';
import { runCommand } from './commands.js';
import { CliError } from './errors.js';

function io(stdinText = ''): {
  stdin: PassThrough;
  stdout: PassThrough;
  stderr: PassThrough;
  text: () => string;
} {
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stdin, stdout, stderr: new PassThrough(), text: () => Buffer.concat(chunks).toString() };
}

describe('sipwake command line', () => {
  it('prints usage for help', async () => {
    const streams = io();
    expect(await runCommand(['help'], {}, streams)).toEqual({ exitCode: 0 });
    expect(streams.text()).toMatch(/usage: sipwake <command>/);
  });

  it('parses a SIP message from standard input', async () => {
    const message = [
      'OPTIONS sip:probe@127.0.0.1 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1',
      'From: <sip:monitor@127.0.0.1>;tag=1',
      'To: <sip:probe@127.0.0.1>',
      'Call-ID: parse-1',
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const streams = io(message);
    expect(await runCommand(['parse', '-'], {}, streams)).toEqual({ exitCode: 0 });
    const printed = JSON.parse(streams.text()) as {
      method: string;
      headers: Record<string, string[]>;
    };
    expect(printed.method).toBe('OPTIONS');
    expect(printed.headers['call-id']).toEqual(['parse-1']);
  });

  it('refuses an unknown command', async () => {
    await expect(runCommand(['fly'], {}, io())).rejects.toThrow(CliError);
  });

  it('refuses to start with a SIPWAKE_ variable no service reads, naming it', async () => {
    await expect(runCommand(['start'], { SIPWAKE_ROUTR_ID: 'r1' }, io())).rejects.toThrow(
      /SIPWAKE_ROUTR_ID/,
    );
  });

  it('refuses an unknown service, listing the known ones', async () => {
    await expect(runCommand(['start', 'routr'], {}, io())).rejects.toThrow(
      /unknown service "routr": one of .*router/,
    );
  });

  it("takes another service's settings when it runs only some of them", async () => {
    // SIPWAKE_API_PORT is the registration-api's: the router alone accepts it (one env file
    // feeds every process) and goes on to need NATS.
    await expect(
      runCommand(['start', 'router'], { SIPWAKE_API_PORT: '8081' }, io()),
    ).rejects.toThrow(/^SIPWAKE_NATS_URL/);
  });

  it('needs NATS to run some services but not all in one process', async () => {
    await expect(runCommand(['start', 'router'], {}, io())).rejects.toThrow(/SIPWAKE_NATS_URL/);
  });
});
