// The SIP host a device must use for its instance: `s-X.<host>` where X is the selector's first
// N hex digits (N = the configured host prefix length), or the plain host when N is 0. DNS for
// `s-X.<host>` can then point each slice of the selector space at its own routers.
import { ContractError, ContractErrorCode } from './errors.js';
import { assertSelector, SELECTOR_HEX_DIGITS } from './selector.js';

export function sipHostFor(selector: string, hostPrefixLength: number, host: string): string {
  assertSelector(selector);
  if (
    !Number.isInteger(hostPrefixLength) ||
    hostPrefixLength < 0 ||
    hostPrefixLength > SELECTOR_HEX_DIGITS
  ) {
    throw new ContractError(
      ContractErrorCode.BadHostPrefixLength,
      `host prefix length must be an integer 0..${SELECTOR_HEX_DIGITS}`,
      { input: String(hostPrefixLength) },
    );
  }
  if (typeof host !== 'string' || host.length === 0) {
    throw new ContractError(ContractErrorCode.BadHostPrefixLength, 'the SIP host is empty');
  }
  if (hostPrefixLength === 0) return host;
  return `s-${selector.slice(0, hostPrefixLength)}.${host}`;
}
