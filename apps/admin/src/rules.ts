/**
 * The lifecycle's rules the new screens show without asking the server: every status, every
 * action of the transition table, the architectures. One import site, so that moving them to
 * `@metalyard/sdk` (which re-exports them on main) is a one-line change.
 */
export { ARCHITECTURES, NODE_ACTIONS, NODE_STATUSES } from '@metalyard/sdk';
