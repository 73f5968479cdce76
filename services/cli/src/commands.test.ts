import { PassThrough } from 'node:stream';
import { runCommand } from './commands.js';
import { CliError } from './errors.js';

function io(): { stdout: PassThrough; stderr: PassThrough; text: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stdout, stderr: new PassThrough(), text: () => Buffer.concat(chunks).toString() };
}

describe('sipwake command line', () => {
  it('prints usage for help', async () => {
    const streams = io();
    expect(await runCommand(['help'], {}, streams)).toEqual({ exitCode: 0 });
    expect(streams.text()).toMatch(/usage: sipwake <command>/);
  });

  it('refuses an unknown command', async () => {
    await expect(runCommand(['fly'], {}, io())).rejects.toThrow(CliError);
  });

  it('starts on the configured listener and stops', async () => {
    const streams = io();
    const result = await runCommand(
      ['start'],
      { SIPWAKE_SIP_LISTEN: 'udp:127.0.0.1:0,tcp:127.0.0.1:0' },
      streams,
    );
    if (!('stop' in result)) throw new Error('start must return a stop function');
    await result.stop();
    const started = streams
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; listening?: string[] })
      .find((line) => line.msg === 'sipwake SIP endpoint listening');
    expect(started?.listening).toHaveLength(2);
    expect(started?.listening?.[0]).toMatch(/^udp:127\.0\.0\.1:\d+$/);
  });

  it('names the bad variable when the configuration is wrong', async () => {
    await expect(
      runCommand(['start'], { SIPWAKE_SIP_LISTEN: 'udp:nowhere' }, io()),
    ).rejects.toThrow(/SIPWAKE_SIP_LISTEN/);
  });
});
