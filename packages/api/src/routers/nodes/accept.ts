import { acceptInputSchema, acceptOutputSchema } from '@metalyard/domain';
import { adminProcedure } from '../../trpc.js';

/** declared → ready, all or nothing. Already ready nodes are left alone (and not listed as accepted). */
export const acceptNodes = adminProcedure
  .input(acceptInputSchema)
  .output(acceptOutputSchema)
  .mutation(async ({ ctx, input }) => ({ accepted: await ctx.services.nodes.accept(input.systemIds, ctx.actor) }));
