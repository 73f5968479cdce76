// A logger that keeps what it is told, so tests can read levels, fields and messages — and check
// that no secret is among them.
import type { PushLog } from '../types.js';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: object;
  readonly message: string | undefined;
}

export interface CaptureLog extends PushLog {
  readonly lines: LogLine[];
  text(): string;
}

export function createCaptureLog(): CaptureLog {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (fields: object, message?: string): void => {
      lines.push({ level, fields, message });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    text: () => lines.map((l) => JSON.stringify(l)).join('\n'),
  };
}
