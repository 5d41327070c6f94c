import { NODE_STATUSES, STATUS_DESCRIPTIONS } from './status.js';
import { NODE_ACTIONS, TRANSITIONS, type TransitionRule } from './transitions.js';

const WHO: Record<TransitionRule['actor'], string> = {
  admin: 'admin',
  owner: 'owner or admin',
  user: 'any user',
  machine: 'the machine (per-node token)',
  system: 'the server',
};

/** The lifecycle as markdown, derived from the transition table: the README's state machine section. */
export function renderStateTable(): string {
  const statuses = [
    '| status | meaning |',
    '| --- | --- |',
    ...NODE_STATUSES.map((status) => `| \`${status}\` | ${STATUS_DESCRIPTIONS[status]} |`),
  ];
  const actions = [
    '| action | who | from → to | what it does |',
    '| --- | --- | --- | --- |',
    ...NODE_ACTIONS.map((action) => {
      const rule: TransitionRule = TRANSITIONS[action];
      const edges = Object.entries(rule.edges)
        .map(([from, to]) => `\`${from}\` → ${to === null ? '(deleted)' : `\`${to}\``}`)
        .join('<br>');
      const policy = rule.commissionsWhenEnabled
        ? ' With `METALYARD_COMMISSIONING=on` it leads to `commissioning` instead of `ready`.'
        : '';
      return `| \`${action}\` | ${WHO[rule.actor]} | ${edges} | ${rule.description}${policy} |`;
    }),
  ];
  return [...statuses, '', ...actions].join('\n');
}
