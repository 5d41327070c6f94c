/**
 * DMTF Redfish over HTTPS: `GET {system}` for `PowerState`, `POST {system}/Actions/ComputerSystem.Reset`
 * with a `ResetType` the service allows (`ResetType@Redfish.AllowableValues`, or its `@Redfish.ActionInfo`),
 * and `PATCH {system}` with a one-time `Boot` override. Basic auth on every request; TLS verification per
 * node (`verifyTls`, default on; BMCs with self-signed certificates need it off).
 */
import { PowerDriverError, type BootDevice, type OperationOptions, type PowerDriver, type PowerState } from '../driver.js';
import { redfishParametersSchema, type RedfishParameters } from '../parameters.js';
import { excerpt } from '../text.js';
import { isObject, RedfishClient, type Json } from './client.js';

const POWER_STATES: Record<string, PowerState> = { On: 'on', PoweringOn: 'on', Paused: 'on', Off: 'off', PoweringOff: 'off' };
const BOOT_TARGET: Record<BootDevice, string> = { pxe: 'Pxe', disk: 'Hdd' };

interface System {
  path: string;
  body: Json;
  etag: string | undefined;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

export class RedfishDriver implements PowerDriver<RedfishParameters> {
  readonly type = 'redfish' as const;
  readonly capabilities = { query: true, softOff: true, bootDevice: true, cycle: true };
  readonly parameters = redfishParametersSchema;

  capabilitiesFor(): typeof this.capabilities {
    return this.capabilities;
  }

  /** `systemPath`, or the first member of `/redfish/v1/Systems`. */
  private async system(client: RedfishClient, p: RedfishParameters): Promise<System> {
    let path = p.systemPath;
    if (!path) {
      const { body } = await client.getObject('/redfish/v1/Systems', 'list its systems');
      const first = Array.isArray(body.Members) && isObject(body.Members[0]) ? body.Members[0]['@odata.id'] : undefined;
      if (typeof first !== 'string') {
        throw new PowerDriverError('config', `${client.origin} lists no system under /redfish/v1/Systems; set systemPath`);
      }
      path = first;
    }
    const { body, etag } = await client.getObject(path, 'read the system');
    return { path, body, etag };
  }

  private powerState(system: System): PowerState {
    const state = system.body.PowerState;
    return typeof state === 'string' ? (POWER_STATES[state] ?? 'unknown') : 'unknown';
  }

  /** The reset action's target and allowed types (undefined when the service does not say). */
  private async resetAction(client: RedfishClient, system: System): Promise<{ target: string; allowed: string[] | undefined }> {
    const actions = isObject(system.body.Actions) ? system.body.Actions : {};
    const reset = isObject(actions['#ComputerSystem.Reset']) ? actions['#ComputerSystem.Reset'] : {};
    const target = typeof reset.target === 'string' ? reset.target : `${system.path}/Actions/ComputerSystem.Reset`;
    const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined);
    let allowed = strings(reset['ResetType@Redfish.AllowableValues']);
    const info = reset['@Redfish.ActionInfo'];
    if (!allowed && typeof info === 'string') {
      const { body } = await client.getObject(info, 'describe its reset action');
      const parameters = Array.isArray(body.Parameters) ? body.Parameters.filter(isObject) : [];
      allowed = strings(parameters.find((parameter) => parameter.Name === 'ResetType')?.AllowableValues);
    }
    return { target, allowed };
  }

  /** POSTs the first of `preferred` the service allows (the first one when it does not say). */
  private async reset(client: RedfishClient, system: System, preferred: string[], what: string): Promise<string> {
    const { target, allowed } = await this.resetAction(client, system);
    const type = allowed ? preferred.find((t) => allowed.includes(t)) : preferred[0];
    if (!type) {
      throw new PowerDriverError(
        'unsupported',
        `${client.origin} cannot ${what}: it allows ResetType ${allowed?.join(', ') || '(none)'}, not ${preferred.join(' or ')}`,
      );
    }
    await client.request('POST', target, what, { ResetType: type });
    return type;
  }

  private client(p: RedfishParameters, o: OperationOptions): RedfishClient {
    return new RedfishClient(p, o.signal);
  }

  async powerOn(p: RedfishParameters, o: OperationOptions): Promise<void> {
    const client = this.client(p, o);
    await this.reset(client, await this.system(client, p), ['On', 'ForceOn'], 'power on');
  }

  async powerOff(p: RedfishParameters, o: OperationOptions): Promise<void> {
    const client = this.client(p, o);
    await this.reset(client, await this.system(client, p), ['ForceOff'], 'power off');
  }

  async softOff(p: RedfishParameters, o: OperationOptions): Promise<void> {
    const client = this.client(p, o);
    await this.reset(client, await this.system(client, p), ['GracefulShutdown'], 'shut down gracefully');
  }

  /** PowerCycle where allowed, else ForceRestart, else ForceOff then On; a system that is off is powered on. */
  async cycle(p: RedfishParameters, o: OperationOptions): Promise<void> {
    const client = this.client(p, o);
    const system = await this.system(client, p);
    if (this.powerState(system) === 'off') {
      await this.reset(client, system, ['On', 'ForceOn'], 'power on');
      return;
    }
    const { allowed } = await this.resetAction(client, system);
    const native = allowed ? ['PowerCycle', 'ForceRestart'].filter((t) => allowed.includes(t)) : ['PowerCycle'];
    if (native.length > 0) {
      try {
        await this.reset(client, system, native, 'power cycle');
        return;
      } catch (error) {
        // Said nothing about its allowed types and refused PowerCycle: do it as off then on.
        if (allowed || !(error instanceof PowerDriverError) || error.reason !== 'refused') throw error;
      }
    }
    await this.reset(client, system, ['ForceOff'], 'power off');
    // Some services refuse On while still powering off: wait (bounded, and by the caller's signal) for Off.
    for (let i = 0; i < 20 && !o.signal.aborted; i++) {
      if (this.powerState(await this.system(client, p)) === 'off') break;
      await sleep(250, o.signal);
    }
    await this.reset(client, system, ['On', 'ForceOn'], 'power on');
  }

  async query(p: RedfishParameters, o: OperationOptions): Promise<PowerState> {
    const client = this.client(p, o);
    return this.powerState(await this.system(client, p));
  }

  async setBootDevice(p: RedfishParameters, device: BootDevice, o: OperationOptions): Promise<void> {
    const client = this.client(p, o);
    const system = await this.system(client, p);
    const target = BOOT_TARGET[device];
    const boot = isObject(system.body.Boot) ? system.body.Boot : {};
    const allowed = boot['BootSourceOverrideTarget@Redfish.AllowableValues'];
    if (Array.isArray(allowed) && !allowed.includes(target)) {
      throw new PowerDriverError(
        'unsupported',
        `${client.origin} cannot boot from ${target}: it allows ${excerpt(allowed.join(', '), 120)}`,
      );
    }
    const body = { Boot: { BootSourceOverrideTarget: target, BootSourceOverrideEnabled: 'Once' } };
    try {
      await client.request('PATCH', system.path, `set the next boot to ${target}`, body);
    } catch (error) {
      // Services that want an ETag say 412 or 428: send the one the system came with.
      const wantsEtag = error instanceof PowerDriverError && /HTTP 41[2]|HTTP 428/.test(error.message);
      if (!wantsEtag || !system.etag) throw error;
      await client.request('PATCH', system.path, `set the next boot to ${target}`, body, { 'if-match': system.etag });
    }
  }
}
