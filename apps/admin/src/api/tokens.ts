import { useQuery } from '@tanstack/react-query';
import type { RouterInputs, RouterOutputs } from '@metalyard/sdk';
import { useClient } from './client.js';
import { tokenKeys } from './keys.js';
import { useRefreshingMutation } from './mutation.js';

export type ApiToken = RouterOutputs['protected']['tokens']['list'][number];
export type NewToken = RouterInputs['protected']['tokens']['create'];
export type CreatedToken = RouterOutputs['protected']['tokens']['create'];

/** The signed-in user's own tokens, sign-in sessions included; `current` is the one this page uses. */
export function useTokens() {
  const client = useClient();
  return useQuery({ queryKey: tokenKeys.all, queryFn: () => client.protected.tokens.list.query() });
}

export function useCreateToken() {
  const client = useClient();
  return useRefreshingMutation((input: NewToken) => client.protected.tokens.create.mutate(input), [tokenKeys.all]);
}

export function useRevokeToken() {
  const client = useClient();
  return useRefreshingMutation((id: number) => client.protected.tokens.revoke.mutate({ id }), [tokenKeys.all]);
}
