export {
  POWER_DRIVER_TYPES,
  PowerDriverError,
  isPowerDriverError,
  type BootDevice,
  type OperationOptions,
  type PowerCapabilities,
  type PowerDriver,
  type PowerDriverErrorReason,
  type PowerDriverType,
  type PowerState,
} from './driver.js';
export {
  IPMI_BOOT_MODES,
  IPMI_INTERFACES,
  IPMI_PRIVILEGES,
  POWER_PARAMETER_SCHEMAS,
  hostProblem,
  ipmiParametersSchema,
  manualParametersSchema,
  redfishParametersSchema,
  webhookParametersSchema,
  type IpmiParameters,
  type ManualParameters,
  type RedfishParameters,
  type WebhookParameters,
} from './parameters.js';
export {
  POWER_DRIVERS,
  createPowerDriver,
  describeParameterIssues,
  isPowerDriverType,
  resolvePowerDriver,
  type PowerDriverOptions,
  type PowerDrivers,
} from './registry.js';
export { IpmiDriver, type IpmiDriverOptions } from './ipmi/driver.js';
export { RedfishDriver } from './redfish/driver.js';
export { WebhookDriver } from './webhook/driver.js';
export { ManualDriver } from './manual/driver.js';
