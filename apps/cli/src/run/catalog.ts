// Every service a sipwake process can run, in start order: the ones others depend on first
// (state-persister serves the agents' loads; push-notifier their pushes), the router last, so
// that SIP arrives only when an agent is there to take it — and, stopping in reverse, the
// router refuses new calls before the agents stop.
import type { TObject } from '@sinclair/typebox';
import { pushNotifierService } from '@sipwake/push-notifier';
import { registrarAgentService } from '@sipwake/registrar-agent';
import { registrationApiService } from '@sipwake/registration-api';
import { routerService } from '@sipwake/router';
import type { ServiceDefinition } from '@sipwake/runtime';
import { statePersisterService } from '@sipwake/state-persister';

export const serviceCatalog: readonly ServiceDefinition<TObject>[] = [
  statePersisterService as ServiceDefinition<TObject>,
  pushNotifierService as ServiceDefinition<TObject>,
  registrarAgentService as ServiceDefinition<TObject>,
  registrationApiService as ServiceDefinition<TObject>,
  routerService as ServiceDefinition<TObject>,
];
