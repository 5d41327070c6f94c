import type { PowerParameters, PowerState, PowerType } from '@metalyard/domain';

export type BootDevice = 'pxe' | 'disk';

/** The caller aborts `signal` on its timeout; a driver then stops promptly. */
export interface PowerCallOptions {
  signal: AbortSignal;
}

/**
 * One BMC protocol (IPMI, Redfish, a webhook). Each call is one attempt: the power use cases
 * serialize calls per node, bound each with a timeout and retry what may pass. The adapters in
 * packages/power implement it.
 */
export interface PowerDriver {
  /** Validates the stored parameters into what the calls take; throws a ZodError naming each field. */
  readonly parameters: { parse(parameters: PowerParameters): unknown };
  capabilitiesFor(parameters: never): { query: boolean; softOff: boolean; bootDevice: boolean; cycle: boolean };
  powerOn(parameters: never, options: PowerCallOptions): Promise<void>;
  powerOff(parameters: never, options: PowerCallOptions): Promise<void>;
  softOff(parameters: never, options: PowerCallOptions): Promise<void>;
  cycle(parameters: never, options: PowerCallOptions): Promise<void>;
  query(parameters: never, options: PowerCallOptions): Promise<PowerState>;
  setBootDevice(parameters: never, device: BootDevice, options: PowerCallOptions): Promise<void>;
}

/** The drivers by power type; null for a type with nothing to drive (`manual`) or no driver yet. */
export interface PowerDrivers {
  driverFor(powerType: PowerType): PowerDriver | null;
}

/** What a failed call tells: whether trying again may help. Messages never hold a secret. */
export interface PowerCallError extends Error {
  readonly retryable?: boolean;
}
