import { router } from '../../trpc.js';
import { heartbeat } from './heartbeat.js';
import { lookup } from './lookup.js';
import { reportCommissioning } from './report-commissioning.js';
import { reportDeployment } from './report-deployment.js';
import { reportErase } from './report-erase.js';

/** What a machine calls about itself: the lookup (public), then with its per-node token. */
export const machineRouter = router({ lookup, heartbeat, reportCommissioning, reportDeployment, reportErase });
