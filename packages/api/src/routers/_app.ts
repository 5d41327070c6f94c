import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { createCallerFactory, router } from '../trpc.js';
import { login } from './auth/login.js';
import { logout } from './auth/logout.js';
import { me } from './auth/me.js';
import { anonymousEnlist } from './enlistment/anonymous.js';
import { trustedEnlist } from './enlistment/trusted.js';
import { eventsRouter } from './events/_router.js';
import { imagesRouter } from './images/_router.js';
import { labelRouter } from './labels/_router.js';
import { machineRouter } from './machine/_router.js';
import { nodesRouter } from './nodes/_router.js';
import { tokensRouter } from './tokens/_router.js';
import { usersRouter } from './users/_router.js';

/**
 * The whole API. Public procedures sit at the top (a machine enlisting itself, a person signing
 * in), the machine's own reports under `machine` (per-node token), and everything under
 * `protected` needs a user's bearer token — so `enlist` lands declared and `protected.enlist` ready.
 * Who may call what is the ACCESS table in access.ts.
 */
export const appRouter = router({
  enlist: anonymousEnlist,
  auth: router({ login }),
  machine: machineRouter,
  protected: router({
    enlist: trustedEnlist,
    me,
    auth: router({ logout }),
    nodes: nodesRouter,
    events: eventsRouter,
    images: imagesRouter,
    tags: labelRouter('tag'),
    zones: labelRouter('zone'),
    pools: labelRouter('pool'),
    tokens: tokensRouter,
    users: usersRouter,
  }),
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
