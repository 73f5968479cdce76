// Responses the router sends itself, statelessly (RFC 3261 §16.11 / §8.2.6): built from the
// request it answers and sent where its top Via says (§18.2.2, RFC 3581), on its own flow.
import { createResponse } from '@sipwake/sip-parser';
import type { SipRequest } from '@sipwake/sip-parser';
import { newTag, responseTarget } from '@sipwake/sip-stack';
import type { Flow, Transport } from '@sipwake/sip-stack';

export interface LocalAnswer {
  readonly status: number;
  readonly reason: string;
  readonly headers?: readonly (readonly [string, string])[];
}

export async function answer(
  transport: Transport,
  request: SipRequest,
  flow: Flow,
  local: LocalAnswer,
): Promise<void> {
  // RFC 3261 §8.2.6.2: a To tag on every response but 100.
  const response = createResponse(request, local.status, local.reason, {
    toTag: newTag(),
    ...(local.headers === undefined ? {} : { headers: local.headers }),
  });
  await transport.send(responseTarget(request.topVia(), flow), response);
}
