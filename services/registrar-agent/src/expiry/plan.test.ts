// The expiry plan: warnings 12 h and 1 h before the deadline, collapsed when late, the last one
// always given, and the settings check.
import type { AgentInstance } from '../ports.js';
import { checkPlanSettings, heardAtOf, nextStep, trackFrom } from './plan.js';

const H = 3_600_000;
const settings = { maxAgeMs: 168 * H, warningsBeforeMs: [12 * H, H] };

describe('expiry plan', () => {
  it('waits for the 12 h warning, then the 1 h warning, then expires', () => {
    const t0 = 1_000_000;
    let track = trackFrom(t0, t0, settings);
    expect(track.deadline).toBe(t0 + 168 * H);
    expect(nextStep(track, t0, settings)).toEqual({ kind: 'wait', untilEpochMs: t0 + 156 * H });
    const first = nextStep(track, t0 + 156 * H, settings);
    expect(first).toEqual({ kind: 'warn', leadMs: 12 * H, warned: 1 });
    track = { ...track, warned: 1 };
    expect(nextStep(track, t0 + 156 * H, settings)).toEqual({
      kind: 'wait',
      untilEpochMs: t0 + 167 * H,
    });
    track = { ...track, warned: 2 };
    expect(nextStep(track, t0 + 167 * H, settings)).toEqual({
      kind: 'wait',
      untilEpochMs: t0 + 168 * H,
    });
    expect(nextStep(track, t0 + 168 * H, settings)).toEqual({ kind: 'expire' });
  });

  it('collapses warnings whose time passed into the latest of them', () => {
    const t0 = 0;
    const track = trackFrom(t0, t0 + 167.5 * H, settings);
    expect(nextStep(track, t0 + 167.5 * H, settings)).toEqual({
      kind: 'warn',
      leadMs: H,
      warned: 2,
    });
  });

  it('gives the last warning its full lead when met after the deadline', () => {
    const now = 500 * H;
    const track = trackFrom(0, now, settings);
    expect(track.deadline).toBe(now + H);
    expect(nextStep(track, now, settings)).toMatchObject({ kind: 'warn', leadMs: H });
  });

  it.each([
    [{ maxAgeMs: H, warningsBeforeMs: [H] }, 'shorter than the max age'],
    [{ maxAgeMs: 10 * H, warningsBeforeMs: [H, 2 * H] }, 'longest first'],
    [{ maxAgeMs: 10 * H, warningsBeforeMs: [0] }, 'positive integer'],
  ])('refuses %j', (bad, why) => {
    expect(checkPlanSettings(bad)).toContain(why);
  });

  it('accepts no warnings at all', () => {
    expect(checkPlanSettings({ maxAgeMs: H, warningsBeforeMs: [] })).toBeUndefined();
    expect(nextStep(trackFrom(0, 0, { maxAgeMs: H, warningsBeforeMs: [] }), H, settings)).toEqual({
      kind: 'expire',
    });
  });

  it("counts from the newest of the instance's and its devices' last-seen times", () => {
    const instance = (lastSeenAt: number | null, deviceTimes: (number | null)[]) =>
      ({
        lastSeenAt,
        devices: deviceTimes.map((at) => ({ lastSeenAt: at })),
      }) as unknown as AgentInstance;
    expect(heardAtOf(instance(5 * H, [2 * H, null]), 10 * H)).toBe(5 * H);
    expect(heardAtOf(instance(1 * H, [3 * H]), 10 * H)).toBe(3 * H);
    expect(heardAtOf(instance(null, [null]), 10 * H)).toBe(10 * H);
    // A clock behind the store's never puts the deadline in the future of now.
    expect(heardAtOf(instance(12 * H, []), 10 * H)).toBe(10 * H);
  });
});
