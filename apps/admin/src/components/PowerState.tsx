import type { Node } from '@metalyard/sdk';

const WORD: Record<Node['powerState'], string> = { on: 'On', off: 'Off', unknown: 'Unknown' };

/** A node's power state as its BMC last reported it: On, Off or Unknown (never asked, or manual power). */
export function PowerState({ state }: { state: Node['powerState'] }) {
  return <span className={`power-state power-${state}`}>{WORD[state]}</span>;
}
