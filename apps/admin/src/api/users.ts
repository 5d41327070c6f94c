import { useQuery } from '@tanstack/react-query';
import type { RouterInputs, RouterOutputs } from '@metalyard/sdk';
import { useClient } from './client.js';
import { userKeys } from './keys.js';
import { useRefreshingMutation } from './mutation.js';

export type User = RouterOutputs['protected']['users']['list'][number];
export type Role = User['role'];
export type UserUpdate = RouterInputs['protected']['users']['update'];
export type NewUser = RouterInputs['protected']['users']['create'];

/** Every user (admins only: others get a 403). */
export function useUsers(enabled = true) {
  const client = useClient();
  return useQuery({ queryKey: userKeys.all, queryFn: () => client.protected.users.list.query(), enabled });
}

export function useCreateUser() {
  const client = useClient();
  return useRefreshingMutation((input: NewUser) => client.protected.users.create.mutate(input), [userKeys.all]);
}

/** A new role or a new password; the server refuses (409) taking away your own admin role. */
export function useUpdateUser() {
  const client = useClient();
  return useRefreshingMutation((input: UserUpdate) => client.protected.users.update.mutate(input), [userKeys.all]);
}

/** The server refuses (409) deleting yourself, or a user who still owns machines. */
export function useDeleteUser() {
  const client = useClient();
  return useRefreshingMutation((username: string) => client.protected.users.delete.mutate({ username }), [userKeys.all]);
}
