import { nodeActionProcedure } from './node-action.js';

/** Out of service for good (admin). */
export const retireNode = nodeActionProcedure('retire');
