import { acquireInputSchema, nodeSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { toNodeView } from '../../views.js';

/** Atomically takes the first ready node matching the constraints; the caller becomes its owner. */
export const acquireNode = protectedProcedure
  .input(acquireInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) => toNodeView(await ctx.services.nodes.acquire(input, ctx.actor), ctx.user));
