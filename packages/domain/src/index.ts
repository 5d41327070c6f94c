/**
 * Metalyard's domain: pure rules, no I/O. The lifecycle (statuses, the transition table and what
 * entering a status does), who may act on what, the errors, the values (MACs, hostnames, system
 * ids, architectures, secrets) and the zod schemas every input is checked against.
 */
export * from './errors.js';
export * from './lifecycle/index.js';
export * from './permissions.js';
export * from './model.js';
export * from './inputs/index.js';
export * from './values/architecture.js';
export * from './values/client-block.js';
export * from './values/ip-address.js';
export * from './values/hostname.js';
export * from './values/mac.js';
export * from './values/roles.js';
export * from './values/secrets.js';
export * from './values/system-id.js';
export * from './values/power-parameters.js';
