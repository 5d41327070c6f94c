export {
  IPMI_SIM_EMU,
  ipmiSimLanConf,
  startIpmiSim,
  type IpmiSim,
  type IpmiSimOptions,
  type IpmiSimState,
  type IpmiSimUser,
  type ChassisRequest,
} from './ipmi-sim.js';
export { builtInChassisScript } from './chassis-script.js';
export { findProgram, ipmiToolsMissing } from './tools.js';
export { freeTcpPort, freeUdpPort } from './ports.js';
export { selfSignedCertificate, type Certificate } from './certificate.js';
export {
  BOOT_TARGETS,
  RESET_TYPES,
  startRedfishServer,
  type RedfishRequest,
  type RedfishServer,
  type RedfishServerOptions,
  type RedfishSystemState,
} from './redfish-server.js';
export { startWebhookServer, type WebhookCall, type WebhookServer, type WebhookServerOptions } from './webhook-server.js';
