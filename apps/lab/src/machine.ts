/**
 * A lab machine: a QEMU virtual machine that boots from the network like a physical server (iPXE in
 * its NIC's ROM, DHCP from dnsmasq), behind a BMC of its own (OpenIPMI's ipmi_sim) whose
 * `chassis_control` program starts and stops the machine's QEMU. Metalyard powers it on and off
 * and sets its boot device through IPMI, exactly as it would a real server's.
 */
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IPMI_SIM_EMU, ipmiSimLanConf } from '@metalyard/power/testing';
import { SERVER_ADDRESS, type ProvisioningNetwork } from './network.js';
import { run, waitFor } from './run.js';

export interface MachineSpec {
  /** 0, 1, 2…: names lab-0, lab-1… and a tap, a MAC and a BMC port each. */
  index: number;
  memoryMb: number;
  cpus: number;
  diskMb: number;
}

export interface MachineInfo {
  name: string;
  mac: string;
  /** The raw file that is the machine's disk. */
  disk: string;
  /** The machine's serial console, appended to across boots. */
  console: string;
  memoryMb: number;
  cpus: number;
  diskBytes: number;
  bmc: { address: string; port: number; username: string; password: string; pid: number };
  /** Where the BMC's chassis program records every request it got (`set boot pxe`, `set power 1`…). */
  requestLog: string;
}

/** The ipmi power parameters an operator gives Metalyard for a lab machine's BMC. */
export function ipmiParametersOf(machine: MachineInfo): Record<string, string> {
  const { address, port, username, password } = machine.bmc;
  return { address, port: String(port), username, password, cipherSuite: '3' };
}

const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export const macOf = (index: number) => `52:54:00:77:00:${(index + 1).toString(16).padStart(2, '0')}`;

/** The QEMU command line of a machine, network first (`net`) or disk first (`disk`). */
export function qemuArgs(spec: MachineSpec, dir: string, tap: string, first: 'net' | 'disk'): string[] {
  const net = first === 'net' ? 1 : 2;
  const disk = first === 'net' ? 2 : 1;
  return [
    '-name',
    `lab-${spec.index}`,
    // /dev/kvm on these machines hangs guests: TCG, always.
    '-accel',
    'tcg',
    '-machine',
    'q35,graphics=off',
    '-smp',
    String(spec.cpus),
    '-m',
    String(spec.memoryMb),
    '-nodefaults',
    '-display',
    'none',
    '-chardev',
    `file,id=console,path=${join(dir, 'console.log')},append=on`,
    '-serial',
    'chardev:console',
    '-netdev',
    `tap,id=n0,ifname=${tap},script=no,downscript=no`,
    '-device',
    `virtio-net-pci,netdev=n0,mac=${macOf(spec.index)},bootindex=${net}`,
    '-drive',
    `file=${join(dir, 'disk.img')},format=raw,if=none,id=d0`,
    '-device',
    `virtio-blk-pci,drive=d0,serial=LAB${spec.index}DISK,bootindex=${disk}`,
    '-boot',
    'strict=on',
    '-daemonize',
    '-pidfile',
    join(dir, 'qemu.pid'),
  ];
}

/**
 * The BMC's chassis program (ipmi_sim's protocol: `get power|boot`, `set power 1|0`, `set shutdown 1`,
 * `set reset 1`, `set boot none|pxe|default|cdrom|bios`). Power is whether the machine's QEMU runs;
 * boot device `default` (ipmitool's `disk`) starts it disk first, anything else network first, as a
 * server that MAAS or Ironic manages is set up. Every request is recorded in requests.log.
 */
export function chassisScript(dir: string): string {
  return `#!/bin/sh
dir=${quote(dir)}
printf '%s\\n' "$*" >> "$dir/requests.log"
running() {
  pid=$(cat "$dir/qemu.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q qemu "/proc/$pid/cmdline" 2>/dev/null
}
start() {
  running && return 0
  rm -f "$dir/qemu.pid"
  if [ "$(cat "$dir/boot" 2>/dev/null)" = default ]; then sh "$dir/start-disk.sh"; else sh "$dir/start-net.sh"; fi
}
stop() {
  running || return 0
  kill "$pid"
  i=0
  while running && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  if running; then kill -9 "$pid"; fi
  return 0
}
op=$1
shift
case "$op" in
  get)
    for parm in "$@"; do
      case "$parm" in
        power) if running; then echo power:1; else echo power:0; fi ;;
        boot) echo "boot:$(cat "$dir/boot" 2>/dev/null || echo none)" ;;
        *) echo "Invalid parameter: $parm"; exit 1 ;;
      esac
    done
    ;;
  set)
    while [ $# -ge 2 ]; do
      parm=$1
      val=$(printf '%s' "$2" | tr -d '"')
      shift 2
      case "$parm" in
        power) if [ "$val" = 1 ]; then start || { echo "qemu did not start: see $dir/qemu.log"; exit 1; }; else stop; fi ;;
        shutdown) if [ "$val" = 1 ]; then stop; fi ;;
        reset) if running; then stop; start; fi ;;
        boot)
          case "$val" in
            none|pxe|default|cdrom|bios) echo "$val" > "$dir/boot" ;;
            *) echo "Invalid boot value: $val"; exit 1 ;;
          esac
          ;;
        identify) [ $# -ge 1 ] && shift ;;
        *) echo "Invalid parameter: $parm"; exit 1 ;;
      esac
    done
    ;;
  *) echo "Unknown operation: $op"; exit 1 ;;
esac
`;
}

/** ipmitool's argv (inside the network) for this BMC; the password goes in IPMI_PASSWORD (-E), never on the command line. */
export function ipmitoolArgs(network: ProvisioningNetwork, machine: MachineInfo, command: readonly string[]): string[] {
  const b = machine.bmc;
  return network.inside('ipmitool', [
    '-I',
    'lanplus',
    '-C',
    '3',
    '-H',
    b.address,
    '-p',
    String(b.port),
    '-U',
    b.username,
    '-E',
    '-N',
    '2',
    '-R',
    '2',
    ...command,
  ]);
}

export function ipmitool(network: ProvisioningNetwork, machine: MachineInfo, command: readonly string[]): string {
  const [cmd, ...args] = ipmitoolArgs(network, machine, command);
  return run(cmd!, args, { env: { ...process.env, IPMI_PASSWORD: machine.bmc.password } });
}

/** Creates the machine's disk, tap, scripts and BMC; the machine itself stays off until its BMC powers it on. */
export async function createMachine(
  network: ProvisioningNetwork,
  labDir: string,
  spec: MachineSpec,
  password: string,
): Promise<MachineInfo> {
  const name = `lab-${spec.index}`;
  const dir = join(labDir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tap = `tap${spec.index}`;
  network.addTap(tap);

  const disk = join(dir, 'disk.img');
  const diskBytes = spec.diskMb * 1024 * 1024;
  if (!existsSync(disk)) closeSync(openSync(disk, 'w'));
  run('truncate', ['-s', String(diskBytes), disk]);
  writeFileSync(join(dir, 'console.log'), '', { flag: 'a' });
  writeFileSync(join(dir, 'requests.log'), '', { flag: 'a' });
  for (const first of ['net', 'disk'] as const) {
    // stdout and stderr away from ipmi_sim's pipe, or it waits for QEMU to end.
    const command = ['qemu-system-x86_64', ...qemuArgs(spec, dir, tap, first)].map(quote).join(' ');
    writeFileSync(join(dir, `start-${first}.sh`), `#!/bin/sh\nexec ${command} >> ${quote(join(dir, 'qemu.log'))} 2>&1 < /dev/null\n`);
  }
  const program = join(dir, 'chassis.sh');
  writeFileSync(program, chassisScript(dir));
  chmodSync(program, 0o755);

  const port = 6230 + spec.index;
  const username = 'admin';
  writeFileSync(join(dir, 'bmc.emu'), IPMI_SIM_EMU);
  writeFileSync(
    join(dir, 'lan.conf'),
    ipmiSimLanConf({
      name,
      host: SERVER_ADDRESS,
      port,
      serialPort: 9000 + spec.index,
      program,
      users: [{ name: username, password, privilege: 'admin' }],
    }),
    { mode: 0o600 },
  );
  const log = openSync(join(dir, 'bmc.log'), 'a');
  const [command, ...args] = network.inside('ipmi_sim', [
    '-c',
    join(dir, 'lan.conf'),
    '-f',
    join(dir, 'bmc.emu'),
    '-s',
    join(dir, 'bmc-state'),
    '-n',
  ]);
  const child = spawn(command!, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('cannot start ipmi_sim');

  const machine: MachineInfo = {
    name,
    mac: macOf(spec.index),
    disk,
    console: join(dir, 'console.log'),
    memoryMb: spec.memoryMb,
    cpus: spec.cpus,
    diskBytes,
    bmc: { address: SERVER_ADDRESS, port, username, password, pid },
    requestLog: join(dir, 'requests.log'),
  };
  await waitFor(`${name}'s BMC (ipmi_sim) to answer`, 15_000, () =>
    ipmitool(network, machine, ['chassis', 'power', 'status']).includes('Chassis Power') ? true : undefined,
  );
  return machine;
}

/** Every request the machine's BMC passed to its chassis, oldest first (e.g. `set boot pxe`). */
export function chassisRequests(machine: MachineInfo): string[] {
  return readFileSync(machine.requestLog, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

/** Whether the machine's QEMU runs. */
export function machineRunning(machine: MachineInfo): boolean {
  const pidFile = join(machine.disk, '..', 'qemu.pid');
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('qemu');
  } catch {
    return false;
  }
}
