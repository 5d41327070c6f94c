/** The parameter schemas are domain rules (they check input at enlist and update time): the drivers read them from there. */
export {
  IPMI_BOOT_MODES,
  IPMI_INTERFACES,
  IPMI_PRIVILEGES,
  POWER_PARAMETER_SCHEMAS,
  hostProblem,
  ipmiParametersSchema,
  isIPv4,
  isIPv6,
  manualParametersSchema,
  redfishBaseUrl,
  redfishParametersSchema,
  webhookParametersSchema,
  type IpmiParameters,
  type ManualParameters,
  type RedfishParameters,
  type WebhookParameters,
} from '@metalyard/domain';
