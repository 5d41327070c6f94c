/**
 * The whole lab: a provisioning network, Metalyard listening on it, dnsmasq handing out addresses
 * and the iPXE boot URL, and machines behind simulated BMCs. `startLab()` builds it, `stopLab()`
 * (or `lab.stop()`) removes every trace: the processes by their ids, the namespace, the folder.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dnsmasqConfig } from '@metalyard/server/dhcp-config';
import { createMachine, ipmitool, type MachineInfo } from './machine.js';
import { forward } from './forward.js';
import {
  BRIDGE,
  createNetwork,
  destroyNetwork,
  DHCP_RANGE,
  NETMASK,
  SERVER_ADDRESS,
  SERVER_PORT,
  type ProvisioningNetwork,
} from './network.js';
import { alive, end, hasCommand, waitFor } from './run.js';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = resolve(HERE, '..', '..', '..');
/** The forwarder's built entry point (tests run the sources, which have no .js beside them). */
const FORWARDER = join(HERE, '..', 'dist', 'forward-main.js');
const SERVER_MAIN = join(REPO_DIR, 'apps', 'server', 'dist', 'main.js');
export const DEFAULT_BOOT_DIR = join(REPO_DIR, 'data', 'boot');

export interface LabOptions {
  /** The lab's folder (disks, logs, the database); created, and removed by stop(). */
  dir: string;
  namespace: string;
  machines: number;
  memoryMb?: number;
  cpus?: number;
  diskMb?: number;
  /** What `pnpm boot-image` built (vmlinuz, initrd.img, tftp/). */
  bootDir?: string;
  /** Raw disk images the machines may be deployed with. */
  imagesDir?: string;
  /** More settings of the Metalyard server in the lab (METALYARD_…). */
  serverEnv?: Record<string, string>;
  /**
   * Where the host reaches Metalyard: `in-process` forwards from this process (tests), a port number
   * starts a forwarder process of its own that outlives this one (`pnpm lab up`).
   */
  hostPort?: 'in-process' | number;
}

export interface LabState {
  namespace: string;
  dir: string;
  socket: string;
  /** Metalyard as the host sees it (through the forwarder). */
  url: string;
  /** Metalyard as the machines see it. */
  provisioningUrl: string;
  adminToken: string;
  serverPid: number;
  dnsmasqPid: number;
  innerForwarderPid: number;
  hostForwarderPid: number | null;
  machines: MachineInfo[];
}

export interface Lab extends LabState {
  network: ProvisioningNetwork;
  /** Presses the power button, through the machine's BMC (IPMI). */
  powerOn(machine: MachineInfo): void;
  powerStatus(machine: MachineInfo): 'on' | 'off';
  stop(): Promise<void>;
}

/** Why the lab cannot run here, or null when it can. */
export function labUnavailable(bootDir = DEFAULT_BOOT_DIR): string | null {
  if (process.platform !== 'linux') return 'the lab needs Linux';
  if (process.getuid?.() !== 0) return 'the lab needs root (network namespaces, taps)';
  const missing = ['ip', 'qemu-system-x86_64', 'ipmi_sim', 'ipmitool', 'dnsmasq', 'truncate'].filter((c) => !hasCommand(c));
  if (missing.length > 0) {
    return `missing ${missing.join(', ')}: apt-get install -y --no-install-recommends iproute2 qemu-system-x86 ipxe-qemu openipmi ipmitool dnsmasq-base`;
  }
  if (!existsSync(join(bootDir, 'vmlinuz')) || !existsSync(join(bootDir, 'initrd.img')))
    return `no boot environment in ${bootDir}: pnpm boot-image`;
  if (!existsSync(SERVER_MAIN) || !existsSync(FORWARDER)) return 'the server or the lab is not built: pnpm build';
  return null;
}

/**
 * The lab's dnsmasq: what `metalyard dhcp-config` writes for an operator's network (full DHCP on the
 * range, the iPXE match, the TFTP chain), plus what the lab needs besides — a router advertisement
 * (without one iPXE waits 13 s), no resolver or hosts file, its lease file and log in the lab's folder.
 */
function dnsmasqConf(dir: string, bootDir: string): string {
  const operator = dnsmasqConfig({
    url: `http://${SERVER_ADDRESS}:${SERVER_PORT}`,
    range: { start: DHCP_RANGE[0], end: DHCP_RANGE[1], netmask: NETMASK },
    interface: BRIDGE,
    tftpRoot: join(bootDir, 'tftp'),
  });
  return [
    operator,
    '# The lab: nothing but the namespace.',
    'no-resolv',
    'no-hosts',
    'dhcp-authoritative',
    `dhcp-range=::,constructor:${BRIDGE},ra-only`,
    'enable-ra',
    `dhcp-leasefile=${join(dir, 'dnsmasq.leases')}`,
    `log-facility=${join(dir, 'dnsmasq.log')}`,
    '',
  ].join('\n');
}

function spawnLogged(argv: string[], log: string, env?: NodeJS.ProcessEnv): number {
  const fd = openSync(log, 'a');
  const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', fd, fd], env: env ?? process.env });
  closeSync(fd);
  child.unref();
  if (child.pid === undefined) throw new Error(`cannot start ${argv.join(' ')}`);
  return child.pid;
}

const inProcessForwarders = new Map<string, Server>();

export async function startLab(options: LabOptions): Promise<Lab> {
  const bootDir = resolve(options.bootDir ?? DEFAULT_BOOT_DIR);
  const why = labUnavailable(bootDir);
  if (why) throw new Error(why);
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const network = createNetwork(options.namespace);
  const socket = join(tmpdir(), `metalyard-${options.namespace}.sock`);
  const adminToken = randomBytes(24).toString('hex');
  const state: Partial<LabState> & { machines: MachineInfo[] } = {
    namespace: options.namespace,
    dir,
    socket,
    adminToken,
    machines: [],
    hostForwarderPid: null,
  };
  const save = () => writeFileSync(join(dir, 'lab.json'), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  save();
  try {
    const imagesDir = resolve(options.imagesDir ?? join(dir, 'images'));
    mkdirSync(imagesDir, { recursive: true });
    // Metalyard, listening on the provisioning network only.
    state.provisioningUrl = `http://${SERVER_ADDRESS}:${SERVER_PORT}`;
    state.serverPid = spawnLogged(network.inside(process.execPath, [SERVER_MAIN]), join(dir, 'server.log'), {
      ...process.env,
      HOST: SERVER_ADDRESS,
      PORT: String(SERVER_PORT),
      DATABASE_URL: join(dir, 'metalyard.sqlite'),
      METALYARD_ADMIN_TOKEN: adminToken,
      METALYARD_COMMISSIONING: 'on',
      METALYARD_BOOT_DIR: bootDir,
      METALYARD_IMAGES_DIR: imagesDir,
      METALYARD_LOG_LEVEL: 'info',
      ...options.serverEnv,
    });
    save();
    state.innerForwarderPid = spawnLogged(
      network.inside(process.execPath, [FORWARDER, '--unix', socket, '--to', `${SERVER_ADDRESS}:${SERVER_PORT}`]),
      join(dir, 'forward.log'),
    );
    save();
    if (options.hostPort === undefined || options.hostPort === 'in-process') {
      const server = forward({ host: '127.0.0.1', port: 0 }, socket);
      await new Promise<void>((ready, fail) => server.once('listening', ready).once('error', fail));
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('forwarder has no port');
      inProcessForwarders.set(options.namespace, server);
      state.url = `http://127.0.0.1:${address.port}`;
    } else {
      state.hostForwarderPid = spawnLogged(
        [process.execPath, FORWARDER, '--listen', `127.0.0.1:${options.hostPort}`, '--unix', socket],
        join(dir, 'forward.log'),
      );
      state.url = `http://127.0.0.1:${options.hostPort}`;
    }
    save();
    await waitFor('Metalyard in the lab to answer /healthz', 60_000, async () => {
      if (!alive(state.serverPid!)) throw new Error(`the server exited: ${readFileSync(join(dir, 'server.log'), 'utf8').slice(-800)}`);
      const reply = await fetch(`${state.url}/healthz`, { signal: AbortSignal.timeout(2000) });
      return reply.ok ? true : undefined;
    });

    writeFileSync(join(dir, 'dnsmasq.conf'), dnsmasqConf(dir, bootDir));
    state.dnsmasqPid = spawnLogged(
      network.inside('dnsmasq', ['--keep-in-foreground', `--conf-file=${join(dir, 'dnsmasq.conf')}`]),
      join(dir, 'dnsmasq.out'),
    );
    save();

    const password = randomBytes(9).toString('base64url');
    for (let index = 0; index < options.machines; index++) {
      const spec = { index, memoryMb: options.memoryMb ?? 512, cpus: options.cpus ?? 1, diskMb: options.diskMb ?? 128 };
      state.machines.push(await createMachine(network, dir, spec, password));
      save();
    }
  } catch (error) {
    if (!process.env.METALYARD_LAB_KEEP) await stopLab(dir).catch(() => undefined);
    throw error;
  }
  const full = state as LabState;
  return {
    ...full,
    network,
    powerOn: (machine) => void ipmitool(network, machine, ['chassis', 'power', 'on']),
    powerStatus: (machine) => (/Chassis Power is on/.test(ipmitool(network, machine, ['chassis', 'power', 'status'])) ? 'on' : 'off'),
    stop: () => stopLab(dir),
  };
}

export function readLabState(dir: string): LabState | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabState;
  } catch {
    return null;
  }
}

/** Ends the lab's processes by their ids (and whatever else runs in its namespace), deletes the namespace and the folder. */
export async function stopLab(dir: string): Promise<void> {
  const state = readLabState(dir);
  if (!state) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  const forwarder = inProcessForwarders.get(state.namespace);
  if (forwarder) {
    inProcessForwarders.delete(state.namespace);
    forwarder.close();
  }
  if (state.hostForwarderPid) await end(state.hostForwarderPid);
  // Every process in the namespace is the lab's: the server, dnsmasq, the BMCs and the machines they started.
  await destroyNetwork(state.namespace);
  rmSync(state.socket, { force: true });
  rmSync(dir, { recursive: true, force: true });
}
