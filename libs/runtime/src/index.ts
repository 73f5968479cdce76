// @sipwake/runtime: what a sipwake process gives each service it runs, what a service gives
// back, and the order in which a process starts and stops them.
export type { RunningService, ServiceDefinition, ServiceEndpoint, ServiceHost } from './service.js';
export { startInOrder, stopInReverse } from './lifecycle.js';
export { RuntimeErrorCode, StartError, StopError } from './errors.js';
export type { Startable, Started, Stoppable } from './lifecycle.js';
