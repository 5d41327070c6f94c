export * from './auth.js';
export * from './event.js';
export * from './label.js';
export * from './node.js';
export * from './machine.js';
