import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

/** A mutation that, once it has succeeded, refreshes every query under each of `keys`. */
export function useRefreshingMutation<Input, Result>(call: (input: Input) => Promise<Result>, keys: readonly QueryKey[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}
