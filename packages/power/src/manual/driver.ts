/** Power type `manual`: nothing to drive. Every operation says what the operator must do by hand. */
import { PowerDriverError, type BootDevice, type PowerDriver, type PowerState } from '../driver.js';
import { manualParametersSchema, type ManualParameters } from '../parameters.js';

const byHand = (what: string) => new PowerDriverError('unsupported', `power type manual: ${what} by hand`);

export class ManualDriver implements PowerDriver<ManualParameters> {
  readonly type = 'manual' as const;
  readonly capabilities = { query: false, softOff: false, bootDevice: false, cycle: false };
  readonly parameters = manualParametersSchema;

  capabilitiesFor(): typeof this.capabilities {
    return this.capabilities;
  }

  async powerOn(): Promise<void> {
    throw byHand('turn the node on');
  }

  async powerOff(): Promise<void> {
    throw byHand('turn the node off');
  }

  async softOff(): Promise<void> {
    throw byHand('shut the node down');
  }

  async cycle(): Promise<void> {
    throw byHand('turn the node off and on again (or on, if it is off)');
  }

  async query(): Promise<PowerState> {
    throw byHand('look at the node to see whether it is on');
  }

  async setBootDevice(_p: ManualParameters, device: BootDevice): Promise<void> {
    throw byHand(device === 'pxe' ? 'make the node boot from the network (PXE) next' : 'make the node boot from its disk next');
  }
}
