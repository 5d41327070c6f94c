import { meOutputSchema } from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure } from '../../trpc.js';

/** Who the token belongs to. */
export const me = protectedProcedure
  .meta({ openapi: { method: 'GET', path: '/v1/me', tags: ['auth'], summary: 'Who the token belongs to', protect: true } })
  .input(z.strictObject({}).optional())
  .output(meOutputSchema)
  .query(({ ctx }) => ({ username: ctx.user.username, role: ctx.user.role }));
