import { createInProcessBus } from '@sipwake/bus';
import { runRouterSuite } from './test-support/router-suite.js';

runRouterSuite('the in-process bus', () => Promise.resolve(createInProcessBus()));
