// @sipwake/registrar-agent: the SIP brain of one shard. This file names the public surface.
export { createRegistrarAgent } from './agent.js';
export type { AgentStats, RegistrarAgent, RegistrarAgentDeps } from './agent.js';
export { configSchema, settingsDefaults, settingsOf } from './config.js';
export { registrarAgentService } from './service.js';
export type { AgentConfigFile, AgentSettings } from './config.js';
export { AgentError, AgentErrorCode } from './errors.js';
export type { AgentErrorOptions } from './errors.js';
export { manualAgentClock, systemAgentClock } from './clock.js';
export type { ManualAgentClock } from './clock.js';
export type {
  AgentAccount,
  AgentClock,
  AgentInstance,
  CallSide,
  CallSideConfig,
  CallSideDeps,
  CallSideLog,
  DeviceBinding,
  DirectoryEvent,
  InstanceDirectory,
  PushClient,
} from './ports.js';
