import { nodeActionProcedure } from './node-action.js';

/** commissioning → failed_commissioning; deploying → allocated. */
export const abortNode = nodeActionProcedure('abort');
