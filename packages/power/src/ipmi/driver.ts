/**
 * IPMI 2.0 over LAN (lanplus, or IPMI 1.5 `lan`) through ipmitool, as OpenStack Ironic drives it.
 *
 * Why ipmitool rather than freeipmi (which MAAS uses): one binary covers every operation
 * (`chassis power ...`, `chassis bootdev ...`) where freeipmi splits them over ipmipower and
 * ipmi-chassis(-config); `-E` reads the password from the IPMI_PASSWORD environment variable so it never
 * sits on a command line; its output is plain, stable and scriptable; Debian packages it (`ipmitool`).
 *
 * The password travels only in the child's environment (`-E`), never in its arguments: `ps` shows no
 * secret, and /proc/<pid>/environ is readable only by its owner and root. The child gets a minimal
 * environment, no shell, no terminal (its own session, so it can never prompt), bounded output, and is
 * killed when the caller's signal aborts.
 */
import { PowerDriverError, type BootDevice, type OperationOptions, type PowerDriver, type PowerState } from '../driver.js';
import { ipmiParametersSchema, type IpmiParameters } from '../parameters.js';
import { runProcess } from '../process.js';
import { interpretIpmitool, type IpmiContext } from './output.js';

export interface IpmiDriverOptions {
  /** The ipmitool program; default `ipmitool` from PATH. */
  ipmitool?: string;
  /** ipmitool `-N`: seconds it waits for each answer. Default 2. */
  answerTimeoutSeconds?: number;
  /** ipmitool `-R`: how often it sends one request before giving up. Default 2 (UDP loses packets). */
  retransmits?: number;
  /** Told each child's pid as it starts (tests read /proc/<pid>/cmdline). */
  onSpawn?: (pid: number) => void;
}

const PRIVILEGE = { user: 'USER', operator: 'OPERATOR', administrator: 'ADMINISTRATOR' } as const;

const ACTION = {
  on: { words: ['chassis', 'power', 'on'], expect: /Chassis Power Control: Up\/On/ },
  off: { words: ['chassis', 'power', 'off'], expect: /Chassis Power Control: Down\/Off/ },
  soft: { words: ['chassis', 'power', 'soft'], expect: /Chassis Power Control: Soft/ },
  cycle: { words: ['chassis', 'power', 'cycle'], expect: /Chassis Power Control: Cycle/ },
  status: { words: ['chassis', 'power', 'status'], expect: /Chassis Power is (on|off)/ },
} as const;

export class IpmiDriver implements PowerDriver<IpmiParameters> {
  readonly type = 'ipmi' as const;
  readonly capabilities = { query: true, softOff: true, bootDevice: true, cycle: true };
  readonly parameters = ipmiParametersSchema;

  constructor(private readonly options: IpmiDriverOptions = {}) {}

  capabilitiesFor(): typeof this.capabilities {
    return this.capabilities;
  }

  /** ipmitool's arguments for `words`; the password is not among them. */
  argumentsFor(p: IpmiParameters, words: readonly string[]): string[] {
    const args = ['-I', p.interface, '-H', p.address, '-p', String(p.port), '-L', PRIVILEGE[p.privilege]];
    args.push('-N', String(this.options.answerTimeoutSeconds ?? 2), '-R', String(this.options.retransmits ?? 2));
    // ipmitool 1.8.19 asks for cipher suite 17 by default; BMCs (and ipmi_sim) without it cost ~10 s a call.
    if (p.interface === 'lanplus') args.push('-C', String(p.cipherSuite));
    if (p.username !== '') args.push('-U', p.username);
    if (p.password !== '') args.push('-E');
    args.push('-v', ...words);
    return args;
  }

  private async run(p: IpmiParameters, words: readonly string[], expect: RegExp, o: OperationOptions): Promise<RegExpExecArray> {
    const ctx: IpmiContext = {
      command: words.join(' '),
      target: p.address.includes(':') ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`,
      username: p.username,
      privilege: p.privilege,
      cipherSuite: p.cipherSuite,
      password: p.password,
    };
    const result = await runProcess(this.options.ipmitool ?? 'ipmitool', this.argumentsFor(p, words), {
      signal: o.signal,
      env: p.password === '' ? {} : { IPMI_PASSWORD: p.password },
      installHint: 'install the Debian package ipmitool',
      onSpawn: this.options.onSpawn,
      detached: true,
    });
    return interpretIpmitool(result, expect, ctx);
  }

  private async action(p: IpmiParameters, name: keyof typeof ACTION, o: OperationOptions): Promise<RegExpExecArray> {
    return this.run(p, ACTION[name].words, ACTION[name].expect, o);
  }

  async powerOn(p: IpmiParameters, o: OperationOptions): Promise<void> {
    await this.action(p, 'on', o);
  }

  async powerOff(p: IpmiParameters, o: OperationOptions): Promise<void> {
    await this.action(p, 'off', o);
  }

  async softOff(p: IpmiParameters, o: OperationOptions): Promise<void> {
    await this.action(p, 'soft', o);
  }

  /** IPMI's power cycle does nothing (or is refused) on a chassis that is off: power it on instead. */
  async cycle(p: IpmiParameters, o: OperationOptions): Promise<void> {
    if ((await this.query(p, o)) === 'off') return this.powerOn(p, o);
    try {
      await this.action(p, 'cycle', o);
    } catch (error) {
      // Went off between the query and the cycle: "Command not supported in present state".
      if (error instanceof PowerDriverError && error.reason === 'refused' && /present state/i.test(error.message)) {
        return this.powerOn(p, o);
      }
      throw error;
    }
  }

  async query(p: IpmiParameters, o: OperationOptions): Promise<PowerState> {
    const match = await this.action(p, 'status', o);
    return match[1] === 'on' ? 'on' : 'off';
  }

  /** `chassis bootdev` sets the boot flags valid for the next boot only unless `options=persistent`. */
  async setBootDevice(p: IpmiParameters, device: BootDevice, o: OperationOptions): Promise<void> {
    const words = ['chassis', 'bootdev', device, ...(p.bootMode === 'efi' ? ['options=efiboot'] : [])];
    await this.run(p, words, new RegExp(`Set Boot Device to ${device}`), o);
  }
}
