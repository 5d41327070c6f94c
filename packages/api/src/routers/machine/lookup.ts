import { lookupInputSchema } from '@metalyard/domain';
import { publicProcedure } from '../../trpc.js';
import { lookupOutputSchema, toLookupView } from '../../wire/index.js';

/**
 * The machine agent asks what to do, by its MACs (public, rate-limited as the anonymous door): its
 * step and, on the first lookup in the status only, the step's per-node token. An unknown machine
 * gets `systemId: null, step: 'none'` and nothing else.
 */
export const lookup = publicProcedure
  .meta({
    openapi: {
      method: 'POST',
      path: '/v1/machine/lookup',
      tags: ['machine'],
      summary: 'The machine agent asks for its step (public; the token is handed out once per step)',
      protect: false,
    },
  })
  .input(lookupInputSchema)
  .output(lookupOutputSchema)
  .mutation(async ({ ctx, input }) => toLookupView(await ctx.app.machine.lookup(input.macAddresses, ctx.clientAddress), ctx.baseUrl));
