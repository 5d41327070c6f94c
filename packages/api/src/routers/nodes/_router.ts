import { router } from '../../trpc.js';
import { abortNode } from './abort.js';
import { acceptAllNodes } from './accept-all.js';
import { acceptNodes } from './accept.js';
import { acquireNode } from './acquire.js';
import { annotateNode } from './annotate.js';
import { commissionNode } from './commission.js';
import { deleteNode } from './delete.js';
import { deployNode } from './deploy.js';
import { getNode } from './get.js';
import { listNodes } from './list.js';
import { markNodeBroken } from './mark-broken.js';
import { markNodeFixed } from './mark-fixed.js';
import { powerCycleNode, powerOffNode, powerOnNode, powerQueryNode } from './power.js';
import { releaseNode } from './release.js';
import { retireNode } from './retire.js';
import { updateNode } from './update.js';

export const nodesRouter = router({
  get: getNode,
  list: listNodes,
  accept: acceptNodes,
  acceptAll: acceptAllNodes,
  acquire: acquireNode,
  release: releaseNode,
  deploy: deployNode,
  commission: commissionNode,
  abort: abortNode,
  markBroken: markNodeBroken,
  markFixed: markNodeFixed,
  retire: retireNode,
  delete: deleteNode,
  update: updateNode,
  annotate: annotateNode,
  powerOn: powerOnNode,
  powerOff: powerOffNode,
  powerCycle: powerCycleNode,
  powerQuery: powerQueryNode,
});
