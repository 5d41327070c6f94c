import { Argument, Option, type Command } from 'commander';
import { httpStatusOf, type MetalyardClient, type Node } from '@metalyard/sdk';
import { printChangedNode } from '../nodes/present.js';
import { CliError, EXIT } from '../output/exit-codes.js';
import { sessionOf } from '../session.js';
import { parseDuration } from './options.js';
import type { Verb } from './verb.js';

/** What `metalyard nodes power ACTION ID` asks the node's BMC. */
const ACTIONS = ['on', 'off', 'cycle', 'status'] as const;
type PowerAction = (typeof ACTIONS)[number];

/** The power state each action should end in, which --wait waits for. */
const EXPECTED: Record<Exclude<PowerAction, 'status'>, 'on' | 'off'> = { on: 'on', off: 'off', cycle: 'on' };

/** How often --wait asks the BMC again. */
const POLL_MS = 2_000;

interface PowerOptions {
  soft?: boolean;
  wait?: boolean;
  timeout: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const describe = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/**
 * Asks the BMC (powerQuery) until it reports `expected`, and resolves with the node then. A BMC that
 * fails to answer meanwhile (502: it may be busy rebooting) is asked again; any other error ends the
 * wait. Running out of time is exit 1.
 */
async function waitForPowerState(client: MetalyardClient, systemId: string, expected: 'on' | 'off', timeoutMs: number): Promise<Node> {
  const deadline = Date.now() + timeoutMs;
  process.stderr.write(`Waiting for ${systemId} to be powered ${expected} (at most ${describe(timeoutMs)})…\n`);
  let last = 'unknown';
  for (;;) {
    try {
      const node = await client.protected.nodes.powerQuery.mutate({ systemId });
      if (node.powerState === expected) return node;
      if (node.powerState !== last) process.stderr.write(`${systemId}: the BMC says ${node.powerState}\n`);
      last = node.powerState;
    } catch (error) {
      if (httpStatusOf(error) !== 502) throw error;
      process.stderr.write(`${systemId}: ${error instanceof Error ? error.message : String(error)} (asking again)\n`);
    }
    const left = deadline - Date.now();
    if (left <= 0)
      throw new CliError(`timed out after ${describe(timeoutMs)}: ${systemId} is still ${last}, not ${expected}`, EXIT.failure);
    await sleep(Math.min(POLL_MS, left));
  }
}

async function power(action: PowerAction, systemId: string, options: PowerOptions, command: Command) {
  if (options.wait && action === 'status') throw new CliError('--wait goes with on, off or cycle, not status', EXIT.usage);
  if (options.soft && action !== 'off') throw new CliError('--soft goes with off only', EXIT.usage);
  const session = sessionOf(command);
  const client = await session.client();
  const nodes = client.protected.nodes;
  let node =
    action === 'on'
      ? await nodes.powerOn.mutate({ systemId })
      : action === 'off'
        ? await nodes.powerOff.mutate({ systemId, ...(options.soft ? { soft: true } : {}) })
        : action === 'cycle'
          ? await nodes.powerCycle.mutate({ systemId })
          : await nodes.powerQuery.mutate({ systemId });
  if (options.wait && action !== 'status') node = await waitForPowerState(client, systemId, EXPECTED[action], options.timeout);
  printChangedNode(session.print, node);
}

/** `metalyard nodes power on|off|cycle|status ID` (also `metalyard power …`). */
export const powerVerb: Verb = {
  name: 'power',
  topLevelAlias: true,
  define: (command) =>
    command
      .description('Power a node on, off or cycle it through its BMC, or ask its power state (the owner of an acquired node, or an admin)')
      .addArgument(new Argument('<action>', 'on, off, cycle or status').choices(ACTIONS))
      .argument('<systemId>')
      .option('--soft', 'with off: ask the operating system to shut down (ACPI) instead of cutting the power')
      .option('--wait', 'with on, off or cycle: ask the BMC until it reports the machine on (off) (exit 0), or time out (exit 1)')
      .addOption(
        new Option('--timeout <duration>', 'with --wait: give up after this long (90s, 10m, 1h)')
          .argParser(parseDuration)
          .default(300_000, '5m'),
      )
      .action(power),
};
