/**
 * Who may call each procedure — the permission rules as data, in one place. `public`: anyone;
 * `machine`: a node with its per-node token; `user`: any signed-in user; `admin`: admins only.
 * Rules that depend on the node (its owner may release it) live in the domain's transition table.
 * A procedure missing here is refused to everyone: the router test checks the two agree.
 */
export const ACCESS = {
  enlist: 'public',
  'auth.login': 'public',
  'machine.reportCommissioning': 'machine',
  'machine.reportDeployment': 'machine',
  'machine.lookup': 'public',
  'machine.heartbeat': 'machine',
  'machine.reportErase': 'machine',

  'protected.enlist': 'user',
  'protected.me': 'user',
  'protected.auth.logout': 'user',

  'protected.nodes.get': 'user',
  'protected.nodes.list': 'user',
  'protected.nodes.accept': 'admin',
  'protected.nodes.acceptAll': 'admin',
  'protected.nodes.acquire': 'user',
  'protected.nodes.release': 'user',
  'protected.nodes.deploy': 'user',
  'protected.nodes.abort': 'user',
  'protected.nodes.markBroken': 'user',
  'protected.nodes.commission': 'admin',
  'protected.nodes.markFixed': 'admin',
  'protected.nodes.retire': 'admin',
  'protected.nodes.delete': 'admin',
  'protected.nodes.update': 'user',
  'protected.nodes.annotate': 'user',
  'protected.nodes.powerOn': 'user',
  'protected.nodes.powerOff': 'user',
  'protected.nodes.powerCycle': 'user',
  'protected.nodes.powerQuery': 'user',

  'protected.events.list': 'user',
  'protected.events.onChange': 'user',

  'protected.images.list': 'user',

  'protected.tags.list': 'user',
  'protected.tags.create': 'admin',
  'protected.tags.update': 'admin',
  'protected.tags.delete': 'admin',
  'protected.zones.list': 'user',
  'protected.zones.create': 'admin',
  'protected.zones.update': 'admin',
  'protected.zones.delete': 'admin',
  'protected.pools.list': 'user',
  'protected.pools.create': 'admin',
  'protected.pools.update': 'admin',
  'protected.pools.delete': 'admin',

  'protected.tokens.list': 'user',
  'protected.tokens.create': 'user',
  'protected.tokens.revoke': 'user',

  'protected.users.list': 'admin',
  'protected.users.create': 'admin',
  'protected.users.update': 'admin',
  'protected.users.delete': 'admin',
} as const satisfies Record<string, Access>;

export type Access = 'public' | 'machine' | 'user' | 'admin';
export type ProcedurePath = keyof typeof ACCESS;

export function accessOf(path: string): Access | undefined {
  return (ACCESS as Record<string, Access>)[path];
}
