import { noInputSchema } from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure } from '../../trpc.js';
import { toUserView, userSchema } from '../../wire/index.js';

export const listUsers = protectedProcedure
  .meta({ openapi: { method: 'GET', path: '/v1/users', tags: ['users'], summary: 'Every user (admin)', protect: true } })
  .input(noInputSchema)
  .output(z.array(userSchema))
  .query(async ({ ctx }) => (await ctx.app.users.list()).map(toUserView));
