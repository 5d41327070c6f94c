import { router } from '../../trpc.js';
import { acceptAllNodes, acceptNodes } from './accept.js';
import { acquireNode } from './acquire.js';
import { abortNode, commissionNode, deployNode, markNodeBroken, markNodeFixed, retireNode } from './actions.js';
import { annotateNode } from './annotate.js';
import { deleteNode } from './delete.js';
import { getNode } from './get.js';
import { listNodes } from './list.js';
import { releaseNode } from './release.js';
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
});
