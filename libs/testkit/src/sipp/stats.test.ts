import { parseSippStats } from './stats.js';

const HEADER =
  'StartTime;CurrentTime;TotalCallCreated;CurrentCall;SuccessfulCall(P);SuccessfulCall(C);' +
  'FailedCall(P);FailedCall(C);FailedMaxUDPRetrans(P);FailedMaxUDPRetrans(C);' +
  'FailedUnexpectedMessage(C);OutOfCallMsgs(C);DeadCallMsgs(C);Retransmissions(C);';

describe('parseSippStats', () => {
  it('reads the cumulative counters of the last line', () => {
    const csv = [
      HEADER,
      '2026-11-23\t16:30:05;2026-11-23\t16:30:05;0;0;0;0;0;0;0;0;0;0;0;0;',
      '2026-11-23\t16:30:05;2026-11-23\t16:30:06;5;0;1;3;0;2;0;2;0;1;0;4;',
      '',
    ].join('\n');
    expect(parseSippStats(csv)).toMatchObject({
      totalCallsCreated: 5,
      successfulCalls: 3,
      failedCalls: 2,
      currentCalls: 0,
      retransmissions: 4,
      outOfCallMessages: 1,
      deadCallMessages: 0,
      failures: { FailedMaxUDPRetrans: 2 },
    });
  });

  it('is undefined without a data line', () => {
    expect(parseSippStats(HEADER)).toBeUndefined();
    expect(parseSippStats('')).toBeUndefined();
  });
});
