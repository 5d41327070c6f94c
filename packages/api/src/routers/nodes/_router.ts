import { router } from '../../trpc.js';
import { acceptNodes } from './accept.js';
import { acquireNode } from './acquire.js';
import { getNode } from './get.js';
import { listNodes } from './list.js';
import { releaseNode } from './release.js';

export const nodesRouter = router({
  get: getNode,
  list: listNodes,
  accept: acceptNodes,
  acquire: acquireNode,
  release: releaseNode,
});
