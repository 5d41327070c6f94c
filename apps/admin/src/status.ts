import type { NodeStatus } from '@metalyard/sdk';

export type StatusTone = 'attention' | 'ok' | 'owned' | 'progress' | 'danger' | 'neutral';

const TONES: Partial<Record<NodeStatus, StatusTone>> = {
  declared: 'attention',
  ready: 'ok',
  allocated: 'owned',
  deployed: 'owned',
};

/** The colour family of a status badge; statuses added to the domain later get one from their name. */
export function statusTone(status: NodeStatus): StatusTone {
  const tone = TONES[status];
  if (tone) return tone;
  if (/^(failed|broken)/.test(status)) return 'danger';
  if (/ing$/.test(status)) return 'progress';
  return 'neutral';
}
