// What the notifier asks of a provider adapter: send one push to one device, resolving when the
// provider accepted it and throwing a ProviderError otherwise.
import type { PushDevice, PushProvider, PushRequest } from '@sipwake/contracts';

export interface PushSender {
  readonly provider: PushProvider;
  send(request: PushRequest, device: PushDevice, timeoutMs: number): Promise<void>;
  /** Connections opened so far. */
  connections(): number;
  close(): Promise<void>;
}
