import { updateUserInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { toUserView, userSchema } from '../../wire/index.js';

/** A user's role or password (admin); nobody takes away their own admin role. */
export const updateUser = protectedProcedure
  .meta({
    openapi: {
      method: 'PATCH',
      path: '/v1/users/{username}',
      tags: ['users'],
      summary: "Change a user's role or password (admin)",
      protect: true,
    },
  })
  .input(updateUserInputSchema)
  .output(userSchema)
  .mutation(async ({ ctx, input }) => toUserView(await ctx.app.users.update(ctx.user, input)));
