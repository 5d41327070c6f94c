/**
 * A real BMC for tests: OpenIPMI's `ipmi_sim` (Debian package `openipmi`) speaking IPMI 1.5/2.0 over
 * LAN on a loopback port found at run time, with a chassis program that records every request. The
 * caller may supply its own chassis program (the QEMU lab's starts and stops a VM); requests are
 * recorded either way. Temporary files go in one directory removed by `stop()`; the simulator is
 * ended by its pid.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInChassisScript, recordingWrapperScript } from './chassis-script.js';
import { freeTcpPort, freeUdpPort } from './ports.js';

export interface IpmiSimUser {
  name: string;
  password: string;
  privilege: 'user' | 'operator' | 'admin';
}

export interface IpmiSimOptions {
  /** Of user 2, an administrator. Default `admin` / `password`. */
  username?: string;
  password?: string;
  /** More users (IDs 3, 4, ...), e.g. one limited to `user` privilege. */
  users?: IpmiSimUser[];
  /**
   * Path of the program ipmi_sim runs for power and boot (see chassis-script.ts for its protocol).
   * Default: a built-in one keeping state in files. `false`: no `chassis_control` at all (then
   * `chassis bootdev` fails while ipmitool exits 0).
   */
  chassisProgram?: string | false;
  /** The built-in chassis's power at start. Default off. */
  power?: 'on' | 'off';
  /** A loopback address: `127.0.0.1` (default) or `::1`. */
  host?: string;
}

export interface ChassisRequest {
  /** e.g. `['set', 'power', '1']`. */
  argv: string[];
}

export interface IpmiSimState {
  power: 'on' | 'off' | 'unknown';
  /** `pxe`, `disk` (ipmi_sim's `default`), `none`, `cdrom`, `bios`, or null when unknown. */
  boot: string | null;
  /** Every chassis request ipmi_sim made, oldest first. */
  requests: ChassisRequest[];
}

export interface IpmiSim {
  address: string;
  port: number;
  username: string;
  password: string;
  pid: number;
  /** The stored parameters of an `ipmi` node pointing at this simulator. */
  parameters: Record<string, string>;
  state(): IpmiSimState;
  /** Changes the power behind the driver's back (the built-in chassis, or the caller's program with `set power`). */
  setPower(on: boolean): void;
  /** Ends ipmi_sim by its pid and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** ipmi_sim's emulator commands: one BMC (management controller 0x20) with a system event log. */
export const IPMI_SIM_EMU = `mc_setbmc 0x20
mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
sel_enable 0x20 1000 0x0a
mc_enable 0x20
`;

/**
 * ipmi_sim's LAN configuration: IPMI 1.5/2.0 on `host:port`, a serial port it insists on, the chassis
 * program (power and boot device), and the users (IDs 2, 3, …). The QEMU lab writes its BMCs with it too.
 */
export const ipmiSimLanConf = (o: {
  name?: string;
  host: string;
  port: number;
  serialPort: number;
  program: string | null;
  users: IpmiSimUser[];
}) => {
  const auths = 'none md2 md5 straight';
  const lines = [
    `name "${o.name ?? 'node1'}"`,
    'set_working_mc 0x20',
    '  startlan 1',
    `    addr ${o.host} ${o.port}`,
    '    priv_limit admin',
    ...['callback', 'user', 'operator', 'admin'].map((level) => `    allowed_auths_${level} ${auths}`),
    '    guid a123456789abcdefa123456789abcdef',
    '  endlan',
    `  serial 15 ${o.host} ${o.serialPort} codec VM`,
    ...(o.program ? [`  chassis_control "${o.program}"`] : []),
    ...o.users.map((u, i) => `user ${i + 2} true "${u.name}" "${u.password}" ${u.privilege} 10 ${auths}`),
  ];
  return `${lines.join('\n')}\n`;
};

function checkUser(user: IpmiSimUser): void {
  if (!/^[\w.-]{1,16}$/.test(user.name)) throw new Error(`ipmi_sim user name ${user.name}: 1-16 letters, digits, . _ -`);
  if (!/^[^"\\\s]{1,20}$/.test(user.password)) throw new Error('ipmi_sim passwords: 1-20 characters, no quote, backslash or space');
}

/** Resolves once the simulator answers an RMCP presence ping; bounded. */
async function waitForPong(host: string, port: number, child: ChildProcess, deadlineMs: number): Promise<void> {
  const ping = Buffer.from([0x06, 0x00, 0xff, 0x06, 0x00, 0x00, 0x11, 0xbe, 0x80, 0x01, 0x00, 0x00]);
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  try {
    for (const end = Date.now() + deadlineMs; Date.now() < end;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error('ipmi_sim exited at start');
      const answered = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(false), 100);
        const onMessage = () => done(true);
        const done = (value: boolean) => {
          clearTimeout(timer);
          socket.off('message', onMessage);
          resolve(value);
        };
        socket.on('message', onMessage);
        socket.send(ping, port, host, (error) => {
          if (error) done(false);
        });
      });
      if (answered) return;
    }
    throw new Error(`ipmi_sim did not answer on ${host}:${port} within ${deadlineMs} ms`);
  } finally {
    socket.close();
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startIpmiSim(options: IpmiSimOptions = {}): Promise<IpmiSim> {
  const host = options.host ?? '127.0.0.1';
  if (!/^(127\.\d+\.\d+\.\d+|::1)$/.test(host)) throw new Error(`ipmi_sim listens on loopback only, not ${host}`);
  const admin: IpmiSimUser = { name: options.username ?? 'admin', password: options.password ?? 'password', privilege: 'admin' };
  const users = [admin, ...(options.users ?? [])];
  users.forEach(checkUser);

  const dir = mkdtempSync(join(tmpdir(), 'metalyard-ipmi-sim-'));
  const log = join(dir, 'requests.log');
  writeFileSync(log, '');
  const builtIn = options.chassisProgram === undefined;
  let backend: string | null = typeof options.chassisProgram === 'string' ? options.chassisProgram : null;
  if (builtIn) {
    backend = join(dir, 'chassis.sh');
    writeFileSync(backend, builtInChassisScript());
    chmodSync(backend, 0o755);
    writeFileSync(join(dir, 'power'), options.power === 'on' ? '1\n' : '0\n');
    writeFileSync(join(dir, 'boot'), 'none\n');
  }
  let program: string | null = null;
  if (backend) {
    program = join(dir, 'chassis-recording.sh');
    writeFileSync(program, recordingWrapperScript(log, backend));
    chmodSync(program, 0o755);
  }
  writeFileSync(join(dir, 'bmc.emu'), IPMI_SIM_EMU);

  let child: ChildProcess | undefined;
  let port = 0;
  let output = '';
  for (let attempt = 1; attempt <= 3 && !child; attempt++) {
    port = await freeUdpPort(host);
    writeFileSync(join(dir, 'lan.conf'), ipmiSimLanConf({ host, port, serialPort: await freeTcpPort(host), program, users }));
    const started = spawn('ipmi_sim', ['-c', join(dir, 'lan.conf'), '-f', join(dir, 'bmc.emu'), '-s', join(dir, 'state'), '-n'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    const spawned = await new Promise<boolean>((resolve) => {
      started.once('spawn', () => resolve(true));
      started.once('error', () => resolve(false));
    });
    if (!spawned) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error('cannot start ipmi_sim: apt-get install -y --no-install-recommends openipmi');
    }
    try {
      await waitForPong(host, port, started, 5000);
      child = started;
    } catch (error) {
      if (started.pid !== undefined && started.exitCode === null) process.kill(started.pid, 'SIGKILL');
      await waitForExit(started, 2000);
      if (attempt === 3) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`${(error as Error).message}: ${output.trim().slice(-500)}`, { cause: error });
      }
    }
  }
  const sim = child as ChildProcess;
  const pid = sim.pid as number;

  const readBackend = (): { power: IpmiSimState['power']; boot: string | null } => {
    let text = '';
    if (builtIn) text = `power:${readFileSync(join(dir, 'power'), 'utf8').trim()}\nboot:${readFileSync(join(dir, 'boot'), 'utf8').trim()}`;
    else if (backend) {
      try {
        text = execFileSync(backend, ['get', 'power', 'boot'], { encoding: 'utf8', timeout: 5000 });
      } catch {
        text = '';
      }
    }
    const power = /power:\s*(\d)/.exec(text)?.[1];
    const boot = /boot:\s*(\w+)/.exec(text)?.[1] ?? null;
    return { power: power === '1' ? 'on' : power === '0' ? 'off' : 'unknown', boot: boot === 'default' ? 'disk' : boot };
  };

  let stopped: Promise<void> | undefined;
  return {
    address: host,
    port,
    username: admin.name,
    password: admin.password,
    pid,
    parameters: { address: host, port: String(port), username: admin.name, password: admin.password, cipherSuite: '3' },
    state: () => ({
      ...readBackend(),
      requests: readFileSync(log, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => ({ argv: line.split(' ') })),
    }),
    setPower(on: boolean) {
      if (builtIn) {
        writeFileSync(join(dir, 'power.harness'), on ? '1\n' : '0\n');
        renameSync(join(dir, 'power.harness'), join(dir, 'power'));
      } else if (backend) execFileSync(backend, ['set', 'power', on ? '1' : '0'], { timeout: 5000 });
      else throw new Error('setPower needs a chassis program');
    },
    stop() {
      stopped ??= (async () => {
        if (sim.exitCode === null && sim.signalCode === null) {
          process.kill(pid, 'SIGTERM');
          if (!(await waitForExit(sim, 2000))) {
            process.kill(pid, 'SIGKILL');
            await waitForExit(sim, 2000);
          }
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
