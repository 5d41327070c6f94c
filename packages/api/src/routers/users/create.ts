import { createUserInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { toUserView, userSchema } from '../../wire/index.js';

export const createUser = protectedProcedure
  .meta({ openapi: { method: 'POST', path: '/v1/users', tags: ['users'], summary: 'Create a user (admin)', protect: true } })
  .input(createUserInputSchema)
  .output(userSchema)
  .mutation(async ({ ctx, input }) => toUserView(await ctx.app.users.create(input.username, input.role, input.password)));
