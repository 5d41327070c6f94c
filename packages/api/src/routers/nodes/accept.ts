import { acceptInputSchema, acceptedIds } from '@metalyard/domain';
import type { Accepted } from '@metalyard/usecases';
import { protectedProcedure } from '../../trpc.js';
import { acceptOutputSchema } from '../../wire/index.js';

/** The per-node tokens only when there are some (with commissioning on). */
export function acceptedView(result: Accepted) {
  return Object.keys(result.machineTokens).length ? result : { accepted: result.accepted };
}

/**
 * declared → ready (or commissioning), all or nothing. Already ready nodes are left alone and not
 * listed as accepted. With commissioning on, each accepted node's per-node token comes back once.
 */
export const acceptNodes = protectedProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/nodes/accept',
      tags: ['nodes'],
      summary: 'Accept declared nodes (admin): declared → ready, all or nothing',
      protect: true,
    },
  })
  .input(acceptInputSchema)
  .output(acceptOutputSchema)
  .mutation(async ({ ctx, input }) => acceptedView(await ctx.app.nodes.accept(acceptedIds(input), ctx.actor)));
