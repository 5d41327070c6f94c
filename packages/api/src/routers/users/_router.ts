import {
  ConflictError,
  createUserInputSchema,
  updateUserInputSchema,
  userSchema,
  usernameInputSchema,
  type UserInfo,
} from '@metalyard/domain';
import { z } from 'zod';
import { protectedProcedure, router } from '../../trpc.js';

const view = (user: UserInfo) => ({ username: user.username, role: user.role, createdAt: user.createdAt.toISOString() });

/** User administration (admins, by the ACCESS table). */
export const usersRouter = router({
  list: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/v1/users', tags: ['users'], summary: 'Every user (admin)', protect: true } })
    .input(z.strictObject({}).optional())
    .output(z.array(userSchema))
    .query(async ({ ctx }) => (await ctx.services.auth.listUsers()).map(view)),
  create: protectedProcedure
    .meta({ openapi: { method: 'POST', path: '/v1/users', tags: ['users'], summary: 'Create a user (admin)', protect: true } })
    .input(createUserInputSchema)
    .output(userSchema)
    .mutation(async ({ ctx, input }) => view(await ctx.services.auth.createUser(input.username, input.role, input.password))),
  update: protectedProcedure
    .meta({ openapi: { method: 'PATCH', path: '/v1/users/{username}', tags: ['users'], summary: 'Change a user\'s role or password (admin)', protect: true } })
    .input(updateUserInputSchema)
    .output(userSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.username === ctx.user.username && input.role === 'user') {
        throw new ConflictError('you cannot take away your own admin role; ask another admin');
      }
      return view(await ctx.services.auth.updateUser(input.username, input));
    }),
  delete: protectedProcedure
    .meta({ openapi: { method: 'DELETE', path: '/v1/users/{username}', tags: ['users'], summary: 'Delete a user (admin)', protect: true } })
    .input(usernameInputSchema)
    .output(z.object({ deleted: z.string() }))
    .mutation(async ({ ctx, input }) => {
      if (input.username === ctx.user.username) throw new ConflictError('you cannot delete yourself');
      await ctx.services.auth.deleteUser(input.username);
      return { deleted: input.username };
    }),
});
