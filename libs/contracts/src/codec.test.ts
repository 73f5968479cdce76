import {
  acceptMessages,
  checkMessage,
  decodeMessage,
  decodeReply,
  encodeMessage,
} from './codec.js';
import { ErrorReply } from './schemas/common.js';
import { CheckpointAck } from './schemas/state.js';
import { ContractError } from './errors.js';
import type { CheckpointBatch as CheckpointBatchType } from './schemas/state.js';
import { CheckpointBatch } from './schemas/state.js';
import { DeviceEvent } from './schemas/shard.js';
import { PushRequest } from './schemas/push.js';

const selector = '628bef098cd19b085f0eb48256f504f34142c01a';

const batch: CheckpointBatchType = {
  shard: 'shard-a',
  batchId: 'b-1',
  rows: [
    {
      selector,
      status: 'registered',
      callId: 'c1@sipwake',
      cseq: 7,
      expiresAt: 1_800_000_000_000,
      lastCode: 200,
      lastAt: 1_799_999_000_000,
      version: 3,
    },
  ],
};

function thrown(run: () => unknown): ContractError {
  try {
    run();
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('encodeMessage / decodeMessage', () => {
  it('round-trips a valid message as JSON bytes', () => {
    const bytes = encodeMessage(CheckpointBatch, batch);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(Buffer.from(bytes).toString('utf8'))).toEqual(batch);
    expect(decodeMessage(CheckpointBatch, bytes)).toEqual(batch);
    expect(decodeMessage(CheckpointBatch, JSON.stringify(batch))).toEqual(batch);
  });

  it('names every failing field with its path, and the subject', () => {
    const bad = {
      ...batch,
      rows: [{ ...batch.rows[0], cseq: 2 ** 31, status: 'Registered' }],
    };
    const error = thrown(() =>
      decodeMessage(CheckpointBatch, JSON.stringify(bad), { subject: 'sw.state.checkpoint' }),
    );
    expect(error.code).toBe('INVALID_MESSAGE');
    expect(error.subject).toBe('sw.state.checkpoint');
    const paths = error.errors.map((e) => e.path);
    expect(paths).toContain('/rows/0/cseq');
    expect(paths).toContain('/rows/0/status');
    expect(error.message).toContain('on sw.state.checkpoint');
    expect(error.message).toContain('/rows/0/cseq');
  });

  it('names a missing field', () => {
    const rest: Record<string, unknown> = { ...batch };
    delete rest['batchId'];
    const error = thrown(() => decodeMessage(CheckpointBatch, JSON.stringify(rest)));
    expect(error.errors.map((e) => e.path)).toContain('/batchId');
  });

  it('refuses text that is not JSON', () => {
    const error = thrown(() => decodeMessage(CheckpointBatch, '{"shard":'));
    expect(error.code).toBe('INVALID_MESSAGE');
    expect(error.errors).toEqual([{ path: '', message: 'not JSON' }]);
  });

  it('never puts a field value into the error (tokens and passwords stay out of logs)', () => {
    const push = {
      type: 'call',
      selector,
      host: 'sip.example.net',
      devices: [
        { deviceId: 'd1', provider: 'gcm', token: 'SECRET-TOKEN', appId: 'a', platform: 'android' },
      ],
    };
    const error = thrown(() => decodeMessage(PushRequest, JSON.stringify(push)));
    expect(error.errors.map((e) => e.path)).toContain('/devices/0/provider');
    expect(JSON.stringify(error.errors) + error.message).not.toContain('SECRET-TOKEN');
  });

  it('tells which variant of a union failed, by its type', () => {
    const event = { type: 'about-to-answer', selector, deviceId: 'd1', at: 1 };
    const error = thrown(() => decodeMessage(DeviceEvent, JSON.stringify(event)));
    expect(error.errors.map((e) => e.path)).toEqual(['/callId']);
  });

  it('lets fields the schema does not name through (a contract grows without breaking)', () => {
    const value = { ...batch, addedLater: true };
    expect(decodeMessage(CheckpointBatch, JSON.stringify(value))).toEqual(value);
  });

  it('never sends a value that fails its schema', () => {
    const bad = { ...batch, rows: [] } as CheckpointBatchType;
    expect(() => encodeMessage(CheckpointBatch, bad)).toThrow(
      expect.objectContaining({ code: 'INVALID_MESSAGE' }),
    );
    expect(() => checkMessage(CheckpointBatch, bad)).toThrow(ContractError);
  });
});

describe('acceptMessages', () => {
  it('hands the whole valid value to handle, and nothing to reject', () => {
    const handled: unknown[] = [];
    const rejected: ContractError[] = [];
    const receive = acceptMessages(CheckpointBatch, {
      handle: (value, subject) => {
        handled.push([value.rows.length, subject]);
        return 'ack';
      },
      reject: (error) => rejected.push(error),
    });
    expect(receive(encodeMessage(CheckpointBatch, batch), 'sw.state.checkpoint')).toBe('ack');
    expect(handled).toEqual([[1, 'sw.state.checkpoint']]);
    expect(rejected).toEqual([]);
  });

  it('rejects a message that fails its schema with a reason, and never half-processes it', () => {
    const handled: unknown[] = [];
    const rejected: ContractError[] = [];
    const receive = acceptMessages(CheckpointBatch, {
      handle: (value) => handled.push(value),
      reject: (error) => rejected.push(error),
    });
    // The first row is good, the second is not: no row may reach the handler.
    const bad = { ...batch, rows: [batch.rows[0], { ...batch.rows[0], selector: 'nope' }] };
    expect(receive(JSON.stringify(bad), 'sw.state.checkpoint')).toBeUndefined();
    expect(receive('garbage')).toBeUndefined();
    expect(handled).toEqual([]);
    expect(rejected.map((e) => [e.code, e.subject, e.errors[0]?.path])).toEqual([
      ['INVALID_MESSAGE', 'sw.state.checkpoint', '/rows/1/selector'],
      ['INVALID_MESSAGE', undefined, ''],
    ]);
  });

  it('lets a handler error through (it is not a contract failure)', () => {
    const receive = acceptMessages(CheckpointBatch, {
      handle: () => {
        throw new Error('database down');
      },
      reject: () => undefined,
    });
    expect(() => receive(JSON.stringify(batch))).toThrow('database down');
  });
});

describe('decodeReply', () => {
  it("tells the expected reply from the receiver's ErrorReply", () => {
    const ack = encodeMessage(CheckpointAck, { batchId: 'b-1', committed: 1 });
    expect(decodeReply(CheckpointAck, ack)).toEqual({
      ok: true,
      value: { batchId: 'b-1', committed: 1 },
    });
    const failure = {
      error: { code: 'DB_DOWN', message: 'PostgreSQL unreachable', retryable: true },
    };
    expect(decodeReply(CheckpointAck, encodeMessage(ErrorReply, failure))).toEqual({
      ok: false,
      error: failure.error,
    });
  });

  it('refuses a reply that is neither', () => {
    expect(() =>
      decodeReply(CheckpointAck, '{"error":"oops"}', { subject: 'sw.state.checkpoint' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_MESSAGE', subject: 'sw.state.checkpoint' }));
    expect(() => decodeReply(CheckpointAck, 'nope')).toThrow(
      expect.objectContaining({ code: 'INVALID_MESSAGE' }),
    );
  });
});
