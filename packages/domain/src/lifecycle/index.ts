export * from './status.js';
export * from './transitions.js';
export * from './effects.js';
export * from './state-table.js';
