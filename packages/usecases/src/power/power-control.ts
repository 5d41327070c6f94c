import { ConflictError, UpstreamError, type Actor, type NodeRecord, type PowerEffect, type PowerState } from '@metalyard/domain';
import type { Deps } from '../deps.js';
import type { PowerCallError, PowerDriver, PowerDrivers } from '../ports/index.js';
import { nodeEvent } from '../shared/events.js';

/** What a person or the lifecycle asks of a BMC. */
export type PowerOperation = 'on' | 'off' | 'softOff' | 'cycle' | 'query' | 'bootPxe' | 'bootDisk';

/** The event each operation records (with `outcome` requested, succeeded or failed in its details). */
const EVENT_TYPE: Record<PowerOperation, string> = {
  on: 'power_on',
  off: 'power_off',
  softOff: 'power_soft_off',
  cycle: 'power_cycle',
  query: 'power_query',
  bootPxe: 'boot_device',
  bootDisk: 'boot_device',
};

/** The power state a successful operation leaves the machine in, when it says. */
const STATE_AFTER: Partial<Record<PowerOperation, PowerState>> = { on: 'on', off: 'off', softOff: 'off', cycle: 'on' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Talks to BMCs for the use cases: one operation at a time per node (never two BMC sessions on one
 * machine), each attempt bounded by the power timeout, a bounded retry of what may pass, and an event
 * for every request and its outcome (with the driver's message, never a secret). Outside any
 * transaction: a slow BMC holds no lock, and a failure never half-changes a node's status.
 */
export class PowerControl {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly deps: Deps,
    private readonly drivers: PowerDrivers,
  ) {}

  /** Whether Metalyard drives this node's power (its type has a driver). */
  drives(node: Pick<NodeRecord, 'powerType'>): boolean {
    return this.drivers.driverFor(node.powerType) !== null;
  }

  /** The node's driver and its parsed parameters, or a 409 saying what is missing. */
  private prepare(node: NodeRecord): { driver: PowerDriver; parameters: never } {
    const driver = this.drivers.driverFor(node.powerType);
    if (!driver) throw new ConflictError(`node ${node.systemId} has power type ${node.powerType}: Metalyard has no driver for it`);
    try {
      return { driver, parameters: driver.parameters.parse(node.powerParameters) as never };
    } catch (error) {
      const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
      // Not a validation: a stored secret the server's key cannot open says so.
      if (!issues && error instanceof Error)
        throw new ConflictError(`node ${node.systemId} cannot be driven: ${error.message}`, { systemId: node.systemId });
      const what = (issues ?? []).map((issue) => `powerParameters.${issue.path.join('.')}: ${issue.message}`).join('; ');
      throw new ConflictError(`node ${node.systemId} cannot be driven: ${what || 'its power parameters are not valid'}`, {
        systemId: node.systemId,
      });
    }
  }

  /** Runs `operation` on the node's BMC after any already queued for it; returns the state it learned. */
  run(node: NodeRecord, operation: PowerOperation, actor: Actor): Promise<PowerState | null> {
    const previous = this.queues.get(node.systemId) ?? Promise.resolve();
    const next = previous.then(
      () => this.perform(node, operation, actor),
      () => this.perform(node, operation, actor),
    );
    this.queues.set(node.systemId, next);
    const forget = () => {
      if (this.queues.get(node.systemId) === next) this.queues.delete(node.systemId);
    };
    next.then(forget, forget);
    return next;
  }

  private async perform(node: NodeRecord, operation: PowerOperation, actor: Actor): Promise<PowerState | null> {
    const { driver, parameters } = this.prepare(node);
    const details = operation === 'bootPxe' || operation === 'bootDisk' ? { device: operation === 'bootPxe' ? 'pxe' : 'disk' } : {};
    if (operation !== 'query') await this.record(node, operation, actor, { outcome: 'requested', ...details });
    try {
      const learned = await this.attempt(() => this.call(driver, parameters, operation));
      const state = learned ?? STATE_AFTER[operation] ?? null;
      if (state) await this.deps.uow.transaction((tx) => tx.nodes.setPowerState(node.id, state, this.deps.clock.now()));
      if (operation !== 'query')
        await this.record(node, operation, actor, { outcome: 'succeeded', ...details, ...(state ? { powerState: state } : {}) });
      return state;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.record(node, operation, actor, { outcome: 'failed', ...details, error: message });
      throw new UpstreamError(`${EVENT_TYPE[operation].replace('_', ' ')} failed for node ${node.systemId}: ${message}`, {
        systemId: node.systemId,
      });
    }
  }

  private async call(driver: PowerDriver, parameters: never, operation: PowerOperation): Promise<PowerState | null> {
    const signal = AbortSignal.timeout(this.deps.settings.power.timeoutMs);
    switch (operation) {
      case 'on':
        await driver.powerOn(parameters, { signal });
        return null;
      case 'off':
        await driver.powerOff(parameters, { signal });
        return null;
      case 'softOff':
        await driver.softOff(parameters, { signal });
        return null;
      case 'cycle':
        await driver.cycle(parameters, { signal });
        return null;
      case 'query':
        return driver.query(parameters, { signal });
      case 'bootPxe':
        await driver.setBootDevice(parameters, 'pxe', { signal });
        return null;
      case 'bootDisk':
        await driver.setBootDevice(parameters, 'disk', { signal });
        return null;
    }
  }

  /** Tries `call` up to the configured attempts while its failure says a retry may help. */
  private async attempt<T>(call: () => Promise<T>): Promise<T> {
    const { attempts } = this.deps.settings.power;
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= attempts || (error as PowerCallError).retryable !== true) throw error;
        await sleep(250 * 2 ** (attempt - 1));
      }
    }
  }

  private async record(node: NodeRecord, operation: PowerOperation, actor: Actor, details: Record<string, unknown>): Promise<void> {
    await this.deps.uow.transaction((tx) =>
      tx.events.append([nodeEvent(node, EVENT_TYPE[operation], actor, this.deps.clock.now(), { details })]),
    );
  }

  /**
   * A lifecycle step's effect on a machine with a driver, run after its status change committed:
   * boot from the network (next boot PXE, then power on — a cycle when it is on), next boot from the
   * disk, or power off. Failures are recorded as events; the status stays as it was moved.
   */
  async apply(node: NodeRecord, effect: PowerEffect, actor: Actor): Promise<void> {
    try {
      if (effect === 'boot-network') {
        await this.run(node, 'bootPxe', actor);
        await this.run(node, 'cycle', actor);
      } else if (effect === 'boot-disk') {
        await this.run(node, 'bootDisk', actor);
      } else {
        await this.run(node, 'off', actor);
      }
    } catch {
      // Recorded as a failed event on the node; the operator sees it there and in the node's power state.
    }
  }
}

/** No BMC to drive at all (the default without adapters): every node is `manual`. */
export const NO_POWER_DRIVERS: PowerDrivers = { driverFor: () => null };
