// Loading instances from the state-persister: every page of a prefix set at start, or the one
// instance of a selector (a prefix of all its 160 bits) after an instance change.
import type { Bus } from '@sipwake/bus';
import {
  decodeReply,
  encodeMessage,
  LoadPage,
  LoadRequest,
  SELECTOR_BITS,
  subjects,
} from '@sipwake/contracts';
import type { LoadedInstance } from '@sipwake/contracts';
import { injectTraceContext } from '@sipwake/telemetry';
import { AgentError, AgentErrorCode } from '../errors.js';

export interface LoaderOptions {
  readonly bus: Bus;
  readonly timeoutMs: number;
  readonly pageInstances: number;
  /** Pages at most per load: a bound on the loop (default 1,000,000). */
  readonly maxPages?: number;
}

export interface Loader {
  /** Every instance of the prefixes, a page at a time. Rejects with AgentError LOAD_FAILED. */
  pages(prefixes: readonly string[]): AsyncIterable<readonly LoadedInstance[]>;
  /** The instance of one selector, or null when the store no longer has it. */
  one(selector: string): Promise<LoadedInstance | null>;
}

export function createLoader(options: LoaderOptions): Loader {
  const page = async (request: LoadRequest): Promise<LoadPage> => {
    const data = encodeMessage(LoadRequest, request, { subject: subjects.stateLoad });
    try {
      const reply = await options.bus.request(subjects.stateLoad, data, {
        timeoutMs: options.timeoutMs,
        headers: injectTraceContext({}),
      });
      const decoded = decodeReply(LoadPage, reply.data, { subject: subjects.stateLoad });
      if (!decoded.ok) {
        throw new AgentError(
          AgentErrorCode.LoadFailed,
          `state-persister answered ${decoded.error.code}: ${decoded.error.message}`,
          { retryable: decoded.error.retryable },
        );
      }
      return decoded.value;
    } catch (error) {
      if (error instanceof AgentError) throw error;
      throw new AgentError(AgentErrorCode.LoadFailed, 'load request failed', {
        cause: error,
        retryable: true,
      });
    }
  };

  return {
    async *pages(prefixes) {
      let cursor: string | undefined;
      const maxPages = options.maxPages ?? 1_000_000;
      for (let n = 0; n < maxPages; n++) {
        const result = await page({
          prefixes: [...prefixes],
          limit: options.pageInstances,
          ...(cursor === undefined ? {} : { cursor }),
        });
        yield result.instances;
        if (result.nextCursor === null) return;
        cursor = result.nextCursor;
      }
      throw new AgentError(AgentErrorCode.LoadFailed, `more than ${maxPages} load pages`);
    },
    async one(selector) {
      const result = await page({ prefixes: [`${selector}/${SELECTOR_BITS}`], limit: 1 });
      return result.instances.find((i) => i.selector === selector) ?? null;
    },
  };
}
