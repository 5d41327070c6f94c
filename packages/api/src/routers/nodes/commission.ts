import { nodeActionProcedure } from './node-action.js';

/** ready, failed_commissioning or broken → commissioning (admin), with its per-node token. */
export const commissionNode = nodeActionProcedure('commission');
