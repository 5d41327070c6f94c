import { useQuery } from '@tanstack/react-query';
import type { RouterInputs, RouterOutputs } from '@metalyard/sdk';
import { useClient } from './client.js';
import { eventKeys, labelKeys, nodeKeys } from './keys.js';
import { useRefreshingMutation } from './mutation.js';

export type LabelKind = 'tags' | 'zones' | 'pools';
export type Label = RouterOutputs['protected']['tags']['list'][number];
export type LabelUpdate = RouterInputs['protected']['tags']['update'];

/** Words for each kind of label, for headings and messages. */
export const LABEL_WORDS: Record<LabelKind, { one: string; many: string; title: string; lead: string; onDelete: string }> = {
  tags: {
    one: 'tag',
    many: 'tags',
    title: 'Tags',
    lead: 'Labels for what a machine has or is for (gpu, ssd, ci). A machine has any number; acquiring can ask for them.',
    onDelete: 'Its machines stay as they are, without this tag.',
  },
  zones: {
    one: 'zone',
    many: 'zones',
    title: 'Zones',
    lead: 'Where machines are: a room, a rack row, a failure domain. A machine is in one zone or none.',
    onDelete: 'Its machines stay as they are, in no zone.',
  },
  pools: {
    one: 'pool',
    many: 'pools',
    title: 'Resource pools',
    lead: 'Who machines are set aside for: a team, a project, CI. A machine is in one pool or none.',
    onDelete: 'Its machines stay as they are, in no pool.',
  },
};

/**
 * The tags, zones or pools that exist, with their node counts (a node may only be given existing
 * ones). Counts follow node events live; a label another admin creates or renames causes no event,
 * so the list is fetched again whenever a screen or dialog that shows it opens.
 */
export function useLabels(kind: LabelKind, enabled = true) {
  const client = useClient();
  return useQuery({
    queryKey: labelKeys.all(kind),
    queryFn: () => client.protected[kind].list.query(),
    enabled,
    refetchOnMount: 'always',
  });
}

/** Renaming or deleting a label changes the machines that carry it: their queries are refreshed too. */
const REFRESHED = [labelKeys.root, nodeKeys.all, eventKeys.all];

export function useCreateLabel(kind: LabelKind) {
  const client = useClient();
  return useRefreshingMutation((input: { name: string; description: string }) => client.protected[kind].create.mutate(input), REFRESHED);
}

export function useUpdateLabel(kind: LabelKind) {
  const client = useClient();
  return useRefreshingMutation((input: LabelUpdate) => client.protected[kind].update.mutate(input), REFRESHED);
}

export function useDeleteLabel(kind: LabelKind) {
  const client = useClient();
  return useRefreshingMutation((name: string) => client.protected[kind].delete.mutate({ name }), REFRESHED);
}
