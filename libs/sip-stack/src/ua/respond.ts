// The responses the UA core builds (RFC 3261 §8.2.6): createResponse with the To tag rule of
// §8.2.6.2 applied, so that no response but 100 leaves without a To tag.
import {
  createResponse,
  type CreateResponseOptions,
  type SipRequest,
  type SipResponse,
} from '@sipwake/sip-parser';
import { newTag } from './ids.js';

/**
 * A response to `request` with a To tag: the request's own when it has one, else
 * `options.toTag`, else a new one. RFC 3261 §8.2.6.2: "if the request contained no To tag, the
 * UAS MUST add a tag to the To header field of the response (with the exception of the 100
 * (Trying) response, in which a tag MAY be present). [...] The same tag MUST be used for all
 * responses to that request, both final and provisional (again excepting the 100 (Trying))":
 * pass the same `toTag` to every response of one transaction.
 */
export function createUasResponse(
  request: SipRequest,
  status: number,
  reason?: string,
  options: CreateResponseOptions = {},
): SipResponse {
  const toTag = status === 100 ? options.toTag : (options.toTag ?? newTag());
  return createResponse(request, status, reason, { ...options, toTag });
}
