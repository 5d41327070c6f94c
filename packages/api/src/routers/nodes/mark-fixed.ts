import { nodeActionProcedure } from './node-action.js';

/** broken → ready (admin). */
export const markNodeFixed = nodeActionProcedure('markFixed');
