/** The drivers by power type, and one way to validate a node's stored parameters for its type. */
import type { z } from 'zod';
import { POWER_DRIVER_TYPES, PowerDriverError, type PowerDriver, type PowerDriverType } from './driver.js';
import { IpmiDriver, type IpmiDriverOptions } from './ipmi/driver.js';
import { ManualDriver } from './manual/driver.js';
import { RedfishDriver } from './redfish/driver.js';
import { WebhookDriver } from './webhook/driver.js';

export interface PowerDriverOptions {
  ipmi?: IpmiDriverOptions;
}

export interface PowerDrivers {
  ipmi: IpmiDriver;
  redfish: RedfishDriver;
  webhook: WebhookDriver;
  manual: ManualDriver;
}

export function isPowerDriverType(type: string): type is PowerDriverType {
  return (POWER_DRIVER_TYPES as readonly string[]).includes(type);
}

/** A new driver for `type`; a power type with no driver (`amt`, `virsh`) is an `unsupported` error. */
export function createPowerDriver<T extends PowerDriverType>(type: T, options?: PowerDriverOptions): PowerDrivers[T];
export function createPowerDriver(type: string, options?: PowerDriverOptions): PowerDriver<unknown>;
export function createPowerDriver(type: string, options: PowerDriverOptions = {}): PowerDriver<unknown> {
  switch (type) {
    case 'ipmi':
      return new IpmiDriver(options.ipmi) as PowerDriver<unknown>;
    case 'redfish':
      return new RedfishDriver() as PowerDriver<unknown>;
    case 'webhook':
      return new WebhookDriver() as PowerDriver<unknown>;
    case 'manual':
      return new ManualDriver() as PowerDriver<unknown>;
    default:
      throw new PowerDriverError('unsupported', `power type ${type} has no driver: Metalyard drives ${POWER_DRIVER_TYPES.join(', ')}`);
  }
}

/** One driver of each type with default options. */
export const POWER_DRIVERS: Readonly<PowerDrivers> = Object.freeze({
  ipmi: new IpmiDriver(),
  redfish: new RedfishDriver(),
  webhook: new WebhookDriver(),
  manual: new ManualDriver(),
});

/**
 * `field: message` for each problem, the field as stored under `prefix`
 * (`powerParameters.address: required for ipmi`; `powerParameters: unknown parameter(s) ...`).
 */
export function describeParameterIssues(error: z.ZodError, prefix = 'powerParameters'): string[] {
  return error.issues.map((issue) => {
    const field = [prefix, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
}

/**
 * The driver for `type` and its parsed parameters, or a `config` PowerDriverError listing every problem
 * (for a node stored before its parameters were checked). Messages never repeat a value.
 */
export function resolvePowerDriver(
  type: string,
  parameters: Record<string, string>,
  options?: PowerDriverOptions,
): { driver: PowerDriver<unknown>; parameters: unknown } {
  const driver = createPowerDriver(type, options);
  const parsed = driver.parameters.safeParse(parameters);
  if (!parsed.success) {
    const problems = describeParameterIssues(parsed.error);
    throw new PowerDriverError('config', `power type ${type}: ${problems.join('; ')}`);
  }
  return { driver, parameters: parsed.data };
}
