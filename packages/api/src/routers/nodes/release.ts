import { nodeSchema, releaseInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { toNodeView } from '../../views.js';

/** allocated → ready, by the owner or an admin; releasing a ready node changes nothing. */
export const releaseNode = protectedProcedure
  .input(releaseInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) => toNodeView(await ctx.services.nodes.release(input.systemId, ctx.actor), ctx.user));
