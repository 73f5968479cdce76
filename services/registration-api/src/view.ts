// An instance as its token holder sees it (GET and PATCH answer it): never the password, the
// token hash or the devices' push tokens.
import { sipHostFor } from '@sipwake/contracts';
import type { InstanceView } from './schemas.js';
import type { DeviceRow, InstanceRow } from './store.js';
import type { ApiSettings } from './types.js';

export function instanceView(
  found: { instance: InstanceRow; devices: readonly DeviceRow[] },
  config: ApiSettings,
): InstanceView {
  const { instance: i, devices } = found;
  return {
    selector: i.selector,
    account: {
      username: i.username,
      authUsername: i.auth_username,
      domain: i.domain,
      registrar: i.registrar_uri,
      outboundProxy: i.outbound_proxy_uri,
      transport: i.transport,
      expiresSeconds: i.requested_expires_s,
    },
    mode: i.mode,
    state: i.state,
    version: Number(i.version),
    sipHost: sipHostFor(i.selector, config.hostPrefixLength, config.sipDomain),
    devices: devices.map((d) => ({
      id: d.device_id,
      appId: d.app_id,
      platform: d.platform,
      pushProvider: d.push_provider,
      presence: d.presence,
      lastSeenAt: new Date(d.last_seen_at).getTime(),
    })),
  };
}
