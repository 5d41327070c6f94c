import { enlistInputSchema, nodeSchema } from '@metalyard/domain';
import { protectedProcedure, publicProcedure } from '../trpc.js';
import { toNodeView } from '../views.js';

/**
 * Anonymous enlistment, as a PXE-booting machine does it: the node lands `declared` and waits
 * for a user to accept it, because putting it to use wipes its disks.
 */
export const anonymousEnlist = publicProcedure
  .input(enlistInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) => {
    const actor = { kind: 'anonymous' as const, address: ctx.remoteAddress };
    return toNodeView(await ctx.services.nodes.enlist(input, actor, false), null);
  });

/** Enlistment by a signed-in user: trusted, so the node lands `ready` (a declared one is accepted). */
export const trustedEnlist = protectedProcedure
  .input(enlistInputSchema)
  .output(nodeSchema)
  .mutation(async ({ ctx, input }) => toNodeView(await ctx.services.nodes.enlist(input, ctx.actor, true), ctx.user));
