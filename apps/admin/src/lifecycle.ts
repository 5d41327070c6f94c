import {
  allowedActions,
  mayTakeAction,
  nextStatus,
  TRANSITIONS,
  USER_ACTIONS,
  type NodeAction,
  type NodeStatus,
  type TransitionRule,
} from '@metalyard/sdk';
import type { MetalyardClient, Node } from '@metalyard/sdk';
import type { Viewer } from './api/viewer.js';
import { humanize } from './format.js';

/** Said before anything that lets a machine's disks be wiped. */
export const WIPE_WARNING =
  'Accepting lets the machine be commissioned and deployed, which wipes its disks. Accept only machines you recognise.';

/** What an action asks for before it runs. */
export interface ActionInput {
  comment?: string;
}

/** What an action gives back that the app must show or act on. */
export interface ActionOutcome {
  /** The per-node token for the machine's boot environment, shown once. */
  machineToken?: string;
  /** The node is gone. */
  deleted?: boolean;
}

interface ActionSpec {
  label: string;
  /** Asked before running, when the action has consequences that cannot be undone. */
  confirm?: string;
  /** The action takes a comment: `required` ones cannot run without it. */
  comment?: 'required' | 'optional';
  /** Drawn as a dangerous action. */
  danger?: boolean;
  run(client: MetalyardClient, node: Node, input: ActionInput): Promise<ActionOutcome>;
}

const withToken = (result: Node & { machineToken?: string }): ActionOutcome =>
  result.machineToken ? { machineToken: result.machineToken } : {};

/**
 * How the app performs each action a person may take. An action of the domain's table without an
 * entry here is not offered (the lifecycle test fails until it has one).
 */
const ACTION_SPECS: Partial<Record<NodeAction, ActionSpec>> = {
  accept: {
    label: 'Accept',
    confirm: WIPE_WARNING,
    run: async (client, node) => {
      const result = await client.protected.nodes.accept.mutate({ systemIds: [node.systemId] });
      const machineToken = result.machineTokens?.[node.systemId];
      return machineToken ? { machineToken } : {};
    },
  },
  commission: {
    label: 'Commission',
    run: async (client, node) => withToken(await client.protected.nodes.commission.mutate({ systemId: node.systemId })),
  },
  abort: {
    label: 'Abort',
    comment: 'optional',
    run: async (client, node, { comment }) =>
      withToken(await client.protected.nodes.abort.mutate({ systemId: node.systemId, ...(comment ? { comment } : {}) })),
  },
  acquire: {
    label: 'Acquire',
    run: async (client, node) => withToken(await client.protected.nodes.acquire.mutate({ systemId: node.systemId })),
  },
  deploy: {
    label: 'Deploy',
    run: async (client, node) => withToken(await client.protected.nodes.deploy.mutate({ systemId: node.systemId })),
  },
  release: {
    label: 'Release',
    confirm: 'Releasing gives the machine back: its disks are erased and its annotations are removed.',
    run: async (client, node) => withToken(await client.protected.nodes.release.mutate({ systemId: node.systemId })),
  },
  markBroken: {
    label: 'Mark broken',
    comment: 'required',
    danger: true,
    run: async (client, node, { comment = '' }) =>
      withToken(await client.protected.nodes.markBroken.mutate({ systemId: node.systemId, comment })),
  },
  markFixed: {
    label: 'Mark fixed',
    run: async (client, node) => withToken(await client.protected.nodes.markFixed.mutate({ systemId: node.systemId })),
  },
  retire: {
    label: 'Retire',
    confirm: 'A retired machine is out of service for good: it can only be deleted afterwards.',
    danger: true,
    run: async (client, node) => withToken(await client.protected.nodes.retire.mutate({ systemId: node.systemId })),
  },
  delete: {
    label: 'Delete',
    confirm: 'Metalyard forgets the machine (its events stay). If it boots again, it enlists as a new machine.',
    danger: true,
    run: async (client, node) => {
      await client.protected.nodes.delete.mutate({ systemId: node.systemId });
      return { deleted: true };
    },
  },
};

/** What an action done to several machines at once does to their disks, said in its one confirmation. */
export interface DiskEffect {
  /** In a word, drawn as a warning unless `kept`. */
  disks: 'kept' | 'erased' | 'wiped when deployed';
  explanation: string;
}

/**
 * The actions the machine table offers on a selection, with what each does to the disks. Which
 * selected machines each applies to comes from the transition table (`actionsFor`), as for one.
 */
export const BULK_ACTIONS = {
  accept: {
    disks: 'wiped when deployed',
    explanation:
      'Accepting wipes nothing yet, but lets the machines be commissioned and deployed, which wipes their disks. Accept only machines you recognise.',
  },
  commission: {
    disks: 'kept',
    explanation: 'Commissioning wipes nothing but their state (owner and annotations): their hardware is inventoried and tested again.',
  },
  markBroken: {
    disks: 'kept',
    explanation: 'Marking broken only takes them out of service, with your comment, until an admin marks them fixed.',
  },
  markFixed: {
    disks: 'kept',
    explanation: 'Marking fixed returns them to service, ready to be acquired; nothing is erased.',
  },
  release: {
    disks: 'erased',
    explanation: 'Releasing gives them back: their disks are erased and their annotations removed, then they are ready for anyone.',
  },
  delete: {
    disks: 'kept',
    explanation:
      'Deleting only makes Metalyard forget them (their events stay); nothing is erased. One that boots again enlists as a new machine.',
  },
} as const satisfies Partial<Record<NodeAction, DiskEffect>>;

export type BulkAction = keyof typeof BULK_ACTIONS;

/** Where an action leads, in words: "Ready (or Commissioning)", "Releasing, then Ready once erased", "deleted". */
export function destination(view: Pick<NodeActionView, 'to' | 'mayCommission'>): string {
  if (view.to === null) return 'deleted';
  if (view.to === 'releasing') return 'Releasing, then Ready once its disks are erased';
  return view.mayCommission ? `${humanize(view.to)} (or Commissioning)` : humanize(view.to);
}

export function hasSpec(action: NodeAction): boolean {
  return ACTION_SPECS[action] !== undefined;
}

export interface NodeActionView extends ActionSpec {
  action: NodeAction;
  description: string;
  /** Where the action leads, in words ("Ready", "Ready or Commissioning", "deleted"). */
  to: NodeStatus | null;
  /** It leads to commissioning instead when the server's commissioning policy is on. */
  mayCommission: boolean;
}

/**
 * The actions `viewer` may take on `node` now: those the transition table allows from its status
 * that a person takes, less those the viewer's role or ownership rules out, in table order.
 */
export function actionsFor(node: Pick<Node, 'status' | 'owner'>, viewer: Viewer): NodeActionView[] {
  return actionViews(
    node.status,
    allowedActions(node.status, USER_ACTIONS).filter((action) => mayTakeAction(action, viewer, node.owner)),
  );
}

/** How the app shows and runs `action` on a node in `node`'s status and ownership, or null if the viewer may not. */
export function actionFor(node: Pick<Node, 'status' | 'owner'>, viewer: Viewer, action: NodeAction): NodeActionView | null {
  return actionsFor(node, viewer).find((view) => view.action === action) ?? null;
}

function actionViews(status: NodeStatus, actions: NodeAction[]): NodeActionView[] {
  return actions.flatMap((action) => {
    const spec = ACTION_SPECS[action];
    if (!spec) return [];
    const rule: TransitionRule = TRANSITIONS[action];
    return [
      {
        ...spec,
        action,
        description: rule.description,
        to: nextStatus(status, action),
        mayCommission: rule.commissionsWhenEnabled === true,
      },
    ];
  });
}
