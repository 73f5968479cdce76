// Answers a local provider was told to give instead of its own: for one device token (every
// push to it), or for the next N pushes whatever their token, or at random with a fixed seed
// (a benchmark's "1 % throttled"). Shared by the APNs and FCM servers.
import { seededRandom } from '../random.js';

export interface RandomAnswer<A> {
  /** Share of pushes, 0…1. */
  readonly ratio: number;
  readonly answer: A;
}

export interface AnswerRules<A> {
  /** Every push to `token` gets `answer` (until cleared with `undefined`). */
  forToken(token: string, answer: A | undefined): void;
  /** The next `count` pushes (any token, after token rules) get `answer`. */
  next(answer: A, count?: number): void;
  /** Pushes not otherwise ruled get these answers at the given ratios (seeded, repeatable). */
  random(rules: readonly RandomAnswer<A>[], seed?: number): void;
  /** The answer for one push to `token`, or undefined for the server's own. */
  pick(token: string): A | undefined;
  clear(): void;
}

export function createAnswerRules<A>(): AnswerRules<A> {
  const byToken = new Map<string, A>();
  const queue: { answer: A; left: number }[] = [];
  let randomRules: readonly RandomAnswer<A>[] = [];
  let random = seededRandom(1);
  return {
    forToken(token, answer) {
      if (answer === undefined) byToken.delete(token);
      else byToken.set(token, answer);
    },
    next(answer, count = 1) {
      queue.push({ answer, left: count });
    },
    random(rules, seed = 1) {
      randomRules = rules;
      random = seededRandom(seed);
    },
    pick(token) {
      const ruled = byToken.get(token);
      if (ruled !== undefined) return ruled;
      const head = queue[0];
      if (head !== undefined) {
        head.left -= 1;
        if (head.left <= 0) queue.shift();
        return head.answer;
      }
      if (randomRules.length === 0) return undefined;
      let roll = random();
      for (const rule of randomRules) {
        if (roll < rule.ratio) return rule.answer;
        roll -= rule.ratio;
      }
      return undefined;
    },
    clear() {
      byToken.clear();
      queue.length = 0;
      randomRules = [];
    },
  };
}
