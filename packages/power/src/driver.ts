/**
 * The power driver port: what the use cases ask of a BMC, whatever its protocol.
 * Pure: no I/O here, only zod, so the interface can move into the use-case layer unchanged.
 */
import type { z } from 'zod';

export type PowerState = 'on' | 'off' | 'unknown';
export type BootDevice = 'pxe' | 'disk';
export const POWER_DRIVER_TYPES = ['ipmi', 'redfish', 'webhook', 'manual'] as const;
export type PowerDriverType = (typeof POWER_DRIVER_TYPES)[number];

/** The caller aborts `signal` on its timeout; a driver then stops promptly (kills its child, aborts its request). */
export interface OperationOptions {
  signal: AbortSignal;
}

export interface PowerCapabilities {
  /** `query` tells the real power state. */
  query: boolean;
  /** `softOff` asks the operating system to shut down (ACPI). */
  softOff: boolean;
  /** `setBootDevice` sets the next boot's device. */
  bootDevice: boolean;
  /** `cycle` is supported (natively or as off then on). */
  cycle: boolean;
}

/**
 * One driver per power type. Every call is one attempt with no retry of its own: the caller serializes
 * calls per node, retries (see `PowerDriverError.retryable`) and bounds each call with `signal`.
 */
export interface PowerDriver<P> {
  readonly type: PowerDriverType;
  /** What the driver can do at best; `capabilitiesFor` narrows it for one node's parameters. */
  readonly capabilities: PowerCapabilities;
  /** Validates and normalizes the stored string map (coerces numbers and booleans, rejects unknown keys). */
  readonly parameters: z.ZodType<P, Record<string, string>>;
  /** What this node's parameters allow (a webhook without `softOffUrl` cannot soft-off). */
  capabilitiesFor(p: P): PowerCapabilities;
  powerOn(p: P, o: OperationOptions): Promise<void>;
  /** Hard off. */
  powerOff(p: P, o: OperationOptions): Promise<void>;
  /** ACPI soft off where the BMC can. */
  softOff(p: P, o: OperationOptions): Promise<void>;
  /** Off then on (or the BMC's cycle/reset); a machine that is off is powered on. */
  cycle(p: P, o: OperationOptions): Promise<void>;
  query(p: P, o: OperationOptions): Promise<PowerState>;
  /** The next boot only ("once"). */
  setBootDevice(p: P, device: BootDevice, o: OperationOptions): Promise<void>;
}

export type PowerDriverErrorReason = 'auth' | 'unreachable' | 'timeout' | 'refused' | 'unsupported' | 'protocol' | 'config';

const RETRYABLE: ReadonlySet<PowerDriverErrorReason> = new Set(['unreachable', 'timeout', 'protocol']);

/**
 * A failed power operation. `message` is safe to show and log: it never holds a password or secret.
 * - auth: the BMC rejected the credentials or their privilege
 * - unreachable: no answer (connection refused, no route, no reply)
 * - timeout: the caller's signal aborted the call
 * - refused: the BMC answered and said no (not in this state, bad request)
 * - unsupported: the driver or this BMC cannot do it
 * - protocol: an answer that makes no sense, or a BMC-side error that may pass
 * - config: the parameters cannot work (bad system path, untrusted TLS certificate, missing tool)
 */
export class PowerDriverError extends Error {
  override readonly name = 'PowerDriverError';
  constructor(
    readonly reason: PowerDriverErrorReason,
    message: string,
  ) {
    super(message);
  }

  /** unreachable/timeout/protocol may pass with a retry; auth/refused/unsupported/config will not. */
  get retryable(): boolean {
    return RETRYABLE.has(this.reason);
  }
}

export function isPowerDriverError(error: unknown): error is PowerDriverError {
  return error instanceof PowerDriverError;
}
