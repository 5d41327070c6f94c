export * from './common.js';
export * from './power.js';
export * from './nodes.js';
export * from './machine.js';
export * from './labels.js';
export * from './events.js';
export * from './users.js';
export * from './tokens.js';

import type { NodeStatus } from '../lifecycle/status.js';
/** Nodes per status. */
export type StatusCounts = Record<NodeStatus, number>;
