import { getNodeInputSchema, nodeSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { toNodeView } from '../../views.js';

export const getNode = protectedProcedure
  .meta({ openapi: { method: 'GET', path: '/v1/nodes/{systemId}', tags: ['nodes'], summary: 'One node', protect: true } })
  .input(getNodeInputSchema)
  .output(nodeSchema)
  .query(async ({ ctx, input }) => toNodeView(await ctx.services.nodes.get(input.systemId), ctx.user));
