import { runBusContract } from './contract.js';
import { createInProcessBus } from './in-process.js';

runBusContract('in-process', async () => createInProcessBus());
