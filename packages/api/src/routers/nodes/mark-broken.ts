import { markBrokenInputSchema } from '@metalyard/domain';
import { nodeActionProcedure } from './node-action.js';

/** Out of service, with a comment saying why. */
export const markNodeBroken = nodeActionProcedure('markBroken', markBrokenInputSchema);
