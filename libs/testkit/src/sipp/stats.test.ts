import { parseSippCounts, parseSippStats } from './stats.js';

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

describe('parseSippCounts', () => {
  it('reads the per-message counters of the last line', () => {
    const csv = [
      'CurrentTime;ElapsedTime;0_INVITE_Recv;0_INVITE_Retrans;1_Pause_Sessions;2_200_Sent;',
      '2026-11-23\t16:44:32;00:00:00:000000;0;0;0;0;',
      '2026-11-23\t16:44:34;00:00:01:834000;1;2;1;1;',
    ].join('\n');
    expect(parseSippCounts(csv)).toEqual({
      '0_INVITE_Recv': 1,
      '0_INVITE_Retrans': 2,
      '1_Pause_Sessions': 1,
      '2_200_Sent': 1,
    });
  });
});
