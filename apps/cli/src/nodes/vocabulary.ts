import type { Architecture, Node, NodeStatus } from '@metalyard/sdk';
import { colours, type Paint } from '../output/colour.js';

type PowerType = Node['powerType'];

/**
 * The colour of each status. Keyed by the SDK's NodeStatus, so a status added to the API
 * fails to compile here until it gets a colour, and the list of statuses follows from it.
 */
const STATUS_PAINT = {
  declared: colours.yellow,
  commissioning: colours.blue,
  failed_commissioning: colours.red,
  ready: colours.green,
  allocated: colours.cyan,
  deploying: colours.blue,
  deployed: colours.magenta,
  failed_deployment: colours.red,
  releasing: colours.blue,
  broken: colours.red,
  retired: colours.gray,
} as const satisfies Record<NodeStatus, Paint>;

/** The values each choice-taking option accepts, checked against the API's types both ways. */
const ARCHITECTURE_SET = {
  'amd64/generic': true,
  'arm64/generic': true,
  'i386/generic': true,
  'armhf/generic': true,
  'ppc64el/generic': true,
  's390x/generic': true,
  'riscv64/generic': true,
} as const satisfies Record<Architecture, true>;

const POWER_TYPE_SET = {
  manual: true,
  ipmi: true,
  redfish: true,
  amt: true,
  virsh: true,
  webhook: true,
} as const satisfies Record<PowerType, true>;

export const NODE_STATUSES = Object.keys(STATUS_PAINT) as NodeStatus[];
export const ARCHITECTURES = Object.keys(ARCHITECTURE_SET) as Architecture[];
export const POWER_TYPES = Object.keys(POWER_TYPE_SET) as PowerType[];

export function paintStatus(status: NodeStatus): string {
  return STATUS_PAINT[status](status);
}

/** A MAC in the server's form (aa:bb:cc:dd:ee:ff) when it is one; the server decides about the rest. */
export function canonicalMac(mac: string): string | null {
  const hex = mac.toLowerCase().replace(/[:.-]/g, '');
  return /^[0-9a-f]{12}$/.test(hex) ? hex.match(/../g)!.join(':') : null;
}
