export {
  startLab,
  stopLab,
  readLabState,
  labUnavailable,
  REPO_DIR,
  DEFAULT_BOOT_DIR,
  type Lab,
  type LabOptions,
  type LabState,
} from './lab.js';
export { chassisRequests, ipmiParametersOf, machineRunning, ipmitool, type MachineInfo } from './machine.js';
export { SERVER_ADDRESS, SERVER_PORT } from './network.js';
export { waitFor, sleep } from './run.js';
