import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { anonymousEnlist, trustedEnlist } from '../procedures/enlist.js';
import { createCallerFactory, router } from '../trpc.js';
import { nodesRouter } from './nodes/_router.js';

/**
 * The whole API. Public procedures sit at the top; everything under `protected` needs a
 * bearer token, so the same name (`enlist`) means anonymous there and trusted here.
 */
export const appRouter = router({
  enlist: anonymousEnlist,
  protected: router({
    enlist: trustedEnlist,
    nodes: nodesRouter,
  }),
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
