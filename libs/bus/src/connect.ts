// connectBus(): the one factory services call; the options' `kind` picks the implementation.
import { createInProcessBus, type InProcessBusOptions } from './in-process.js';
import { connectNatsBus, type NatsBusOptions } from './nats.js';
import type { Bus } from './types.js';

export type BusOptions = NatsBusOptions | (InProcessBusOptions & { readonly kind: 'in-process' });

export async function connectBus(options: BusOptions): Promise<Bus> {
  return options.kind === 'nats' ? connectNatsBus(options) : createInProcessBus(options);
}
