// A digest client that opens the sealed password only when a registrar first challenges, and
// forgets it (with the nonces) on reset(): the plaintext lives only inside the digest client.
import { createDigestClient } from '@sipwake/sip-stack';
import type { DigestClient, PasswordCredentials } from '@sipwake/sip-stack';

export function lazyDigestClient(open: () => PasswordCredentials): DigestClient {
  let inner: DigestClient | undefined;
  const opened = (): DigestClient => (inner ??= createDigestClient({ credentials: open() }));
  return {
    answer: (response) => opened().answer(response),
    authorize: (request) => (inner === undefined ? [] : inner.authorize(request)),
    checkAuthenticationInfo: (answer, info, request) =>
      opened().checkAuthenticationInfo(answer, info, request),
    reset: () => {
      inner = undefined;
    },
  };
}
