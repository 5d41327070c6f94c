import { noInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { meOutputSchema } from '../../wire/index.js';

/** Who the token belongs to. */
export const me = protectedProcedure
  .meta({ openapi: { method: 'GET', path: '/v1/me', tags: ['auth'], summary: 'Who the token belongs to', protect: true } })
  .input(noInputSchema)
  .output(meOutputSchema)
  .query(({ ctx }) => ({ username: ctx.user.username, role: ctx.user.role }));
