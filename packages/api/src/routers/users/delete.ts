import { usernameInputSchema } from '@metalyard/domain';
import { protectedProcedure } from '../../trpc.js';
import { deletedOutputSchema } from '../../wire/index.js';

/** Deletes a user who owns no node (admin); nobody deletes themselves. */
export const deleteUser = protectedProcedure
  .meta({ openapi: { method: 'DELETE', path: '/v1/users/{username}', tags: ['users'], summary: 'Delete a user (admin)', protect: true } })
  .input(usernameInputSchema)
  .output(deletedOutputSchema)
  .mutation(async ({ ctx, input }) => {
    await ctx.app.users.delete(ctx.user, input.username);
    return { deleted: input.username };
  });
