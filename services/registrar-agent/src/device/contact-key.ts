// Who a device-side Contact belongs to: the binding's key, and the device of the instance its
// RFC 8599 push parameters name.
import type { InstanceDevice } from '@sipwake/contracts';
import type { Contact } from '@sipwake/sip-parser';

/** The binding's identity: `+sip.instance` (RFC 5626 §4.1) when given, else the contact URI. */
export function bindingKey(contact: Contact): string {
  return contact.instance ?? contact.uriText;
}

/** RFC 8599 §4.1 push parameters of a contact, when it carries a provider and a PRID. */
export interface ContactPush {
  readonly provider: string;
  readonly prid: string;
  readonly param: string | undefined;
}

export function contactPush(contact: Contact): ContactPush | undefined {
  const { provider, prid, param } = contact.push;
  if (provider === undefined || prid === undefined || provider === '' || prid === '') {
    return undefined;
  }
  return { provider: provider.toLowerCase(), prid, param };
}

/**
 * The device a contact's push parameters name: RFC 8599 §4.1.2 `pn-prid` is the push token
 * (for APNs a VoIP token may be registered instead), `pn-provider` the service. When no token
 * matches but exactly one device of that provider exists, it is that device with a new token.
 */
export function matchDevice(
  devices: readonly InstanceDevice[],
  push: ContactPush | undefined,
): InstanceDevice | undefined {
  if (push === undefined) return devices.length === 1 ? devices[0] : undefined;
  const ofProvider = devices.filter((d) => d.provider === push.provider);
  const byToken = ofProvider.find((d) => d.token === push.prid || d.voipToken === push.prid);
  if (byToken) return byToken;
  return ofProvider.length === 1 ? ofProvider[0] : undefined;
}
