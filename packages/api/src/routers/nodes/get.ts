import { getNodeInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { nodeSchema, toNodeView } from '../../wire/index.js';

/** One node; 404 when unknown. */
export const getNode = protectedProcedure
  .meta({ openapi: { method: 'GET', path: '/v1/nodes/{systemId}', tags: ['nodes'], summary: 'One node', protect: true } })
  .input(getNodeInputSchema)
  .output(nodeSchema)
  .query(async ({ ctx, input }) => toNodeView(await ctx.app.nodes.get(input.systemId), ctx.user));
