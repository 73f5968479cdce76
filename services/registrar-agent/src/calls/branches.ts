// The branches of one forked INVITE (RFC 3261 §16.6–§16.7): one client transaction per device
// binding, their responses handed to the call, and CANCEL for those still pending (§16.10).
import { createResponse } from '@sipwake/sip-parser';
import type { SipRequest, SipResponse } from '@sipwake/sip-parser';
import type { ClientTransaction, TransactionLayer } from '@sipwake/sip-stack';
import type { DeviceBinding } from '../ports.js';

export interface Branch {
  readonly binding: DeviceBinding;
  readonly tx: ClientTransaction | undefined;
  /** The final response, or a 408/503 made up for a timeout or a transport failure. */
  final: SipResponse | undefined;
}

export interface BranchEvents {
  provisional(branch: Branch, response: SipResponse): void;
  /** A 2xx; for an INVITE every later 2xx of the branch too (RFC 6026 §7.2). */
  success(branch: Branch, response: SipResponse): void;
  /** A final non-2xx (real, or 408/503 for a timeout or transport failure). */
  failure(branch: Branch, response: SipResponse): void;
}

export interface BranchSet {
  /** Sends `request` (already forwarded: our Via on top) to the binding's target. */
  fork(binding: DeviceBinding, request: SipRequest): Branch;
  /** Whether a branch to this binding key is pending or answered 2xx (no second fork to it). */
  covers(key: string): boolean;
  /** Branches without a final response. */
  pending(): number;
  /** The final responses received (for §16.7 step 6). */
  finals(): SipResponse[];
  /** §16.10: CANCEL every pending branch, with these fields (a Reason). */
  cancelPending(headers?: readonly (readonly [string, string])[]): void;
}

/** RFC 3261 §16.7 step 2 / §16.8: a timeout counts as a 408, a transport failure as a 503. */
function madeUp(request: SipRequest, status: 408 | 503): SipResponse {
  return createResponse(request, status);
}

export function createBranchSet(layer: TransactionLayer, events: BranchEvents): BranchSet {
  const branches: Branch[] = [];

  const settle = (branch: Branch, response: SipResponse): void => {
    if (branch.final !== undefined) return;
    branch.final = response;
    events.failure(branch, response);
  };

  return {
    fork(binding, request) {
      const branch: Branch & { tx: ClientTransaction | undefined } = {
        binding,
        tx: undefined,
        final: undefined,
      };
      branches.push(branch);
      try {
        branch.tx = layer.sendRequest(request, binding.target, {
          provisional: (response) => events.provisional(branch, response),
          final: (response) => {
            if (response.status < 300) {
              branch.final ??= response;
              events.success(branch, response);
            } else {
              settle(branch, response);
            }
          },
          timeout: () => settle(branch, madeUp(request, 408)),
          transportError: () => settle(branch, madeUp(request, 503)),
        });
      } catch {
        // The layer refused to start it (stopped, too many transactions): a failed branch.
        queueMicrotask(() => settle(branch, madeUp(request, 503)));
      }
      return branch;
    },
    covers(key) {
      return branches.some(
        (b) => b.binding.key === key && (b.final === undefined || b.final.status < 300),
      );
    },
    pending: () => branches.filter((b) => b.final === undefined).length,
    finals: () => branches.flatMap((b) => (b.final ? [b.final] : [])),
    cancelPending(headers) {
      for (const branch of branches) {
        if (branch.final !== undefined || branch.tx === undefined) continue;
        try {
          layer.sendCancel(branch.tx, headers ? { headers } : {});
        } catch {
          // Not cancellable any more (it just ended): its final response settles it.
        }
      }
    },
  };
}
