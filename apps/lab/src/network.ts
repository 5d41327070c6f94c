/**
 * The provisioning network: a network namespace of the lab's own with a bridge, a tap per virtual
 * machine and the addresses below. Nothing in it is routed anywhere: the machines, their BMCs,
 * dnsmasq and Metalyard talk only to each other, and the host reaches Metalyard through a forwarder
 * (forward.ts), never through an address of the namespace.
 */
import { run } from './run.js';
import { alive, end } from './run.js';

/** Metalyard's (and the BMCs') address on the provisioning network. */
export const SERVER_ADDRESS = '10.77.0.1';
export const SERVER_PORT = 5240;
export const NETWORK_PREFIX = 24;
/** The prefix as a dotted netmask (dnsmasq's form): 255.255.255.0. */
export const NETMASK = Array.from({ length: 4 }, (_, i) => 256 - 2 ** (8 - Math.min(8, Math.max(0, NETWORK_PREFIX - 8 * i)))).join('.');
/** The range dnsmasq leases from. */
export const DHCP_RANGE = ['10.77.0.100', '10.77.0.199'] as const;
/** iPXE's ROM waits about 13 s for an IPv6 router advertisement unless one comes: dnsmasq sends it for this prefix. */
export const IPV6_ADDRESS = 'fd77::1';
export const BRIDGE = 'br0';

const NAMESPACE = /^[a-z][a-z0-9-]{0,30}$/;

export interface ProvisioningNetwork {
  readonly namespace: string;
  /** `ip netns exec <namespace> <command> <args…>`: the argv that runs a command inside the network. */
  inside(command: string, args?: readonly string[]): string[];
  /** Adds a tap on the bridge, for a virtual machine. */
  addTap(name: string): void;
  /** Ends every process inside the namespace (they are the lab's), then deletes it. */
  destroy(): Promise<void>;
}

export function namespaceExists(namespace: string): boolean {
  return run('ip', ['netns', 'list'])
    .split('\n')
    .some((line) => line.split(' ')[0] === namespace);
}

/** The processes inside a namespace. */
export function processesIn(namespace: string): number[] {
  if (!namespaceExists(namespace)) return [];
  return run('ip', ['netns', 'pids', namespace])
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

export async function destroyNetwork(namespace: string): Promise<void> {
  if (!namespaceExists(namespace)) return;
  await Promise.all(processesIn(namespace).map((pid) => end(pid)));
  const left = processesIn(namespace).filter(alive);
  if (left.length > 0) throw new Error(`processes ${left.join(', ')} still run in network namespace ${namespace}`);
  run('ip', ['netns', 'delete', namespace]);
}

export function createNetwork(namespace: string): ProvisioningNetwork {
  if (!NAMESPACE.test(namespace)) throw new Error(`network namespace name ${namespace}: lower-case letters, digits and -`);
  if (namespaceExists(namespace)) throw new Error(`network namespace ${namespace} exists already (a lab is up: pnpm lab down)`);
  run('ip', ['netns', 'add', namespace]);
  try {
    const ip = (...args: string[]) => run('ip', ['-n', namespace, ...args]);
    ip('link', 'set', 'lo', 'up');
    ip('link', 'add', BRIDGE, 'type', 'bridge');
    ip('addr', 'add', `${SERVER_ADDRESS}/${NETWORK_PREFIX}`, 'dev', BRIDGE);
    ip('-6', 'addr', 'add', `${IPV6_ADDRESS}/64`, 'dev', BRIDGE, 'nodad');
    ip('link', 'set', BRIDGE, 'up');
  } catch (error) {
    run('ip', ['netns', 'delete', namespace]);
    throw error;
  }
  const inside = (command: string, args: readonly string[] = []) => ['ip', 'netns', 'exec', namespace, command, ...args];
  return {
    namespace,
    inside,
    addTap(name) {
      const [command, ...args] = inside('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap']);
      run(command!, args);
      run('ip', ['-n', namespace, 'link', 'set', name, 'master', BRIDGE]);
      run('ip', ['-n', namespace, 'link', 'set', name, 'up']);
    },
    destroy: () => destroyNetwork(namespace),
  };
}
