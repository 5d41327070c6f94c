/** The ipmi driver against ipmi_sim, a real BMC simulator speaking IPMI over LAN on loopback. */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowerDriverError } from '../driver.js';
import { ipmiParametersSchema, type IpmiParameters } from '../parameters.js';
import { freeUdpPort, ipmiToolsMissing, startIpmiSim, type IpmiSim } from '../testing/index.js';
import { IpmiDriver } from './driver.js';

const missing = ipmiToolsMissing();
if (missing) console.warn(`SKIPPED: ipmi driver tests against ipmi_sim: ${missing}`);

const PASSWORD = 'Sekr3t-7qz';
const op = (ms = 10_000) => ({ signal: AbortSignal.timeout(ms) });

async function failure(promise: Promise<unknown>): Promise<PowerDriverError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PowerDriverError);
  return error as PowerDriverError;
}

/** Polls (bounded) until `check` holds. */
async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !check();) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(missing !== null)('ipmi driver against ipmi_sim', () => {
  let sim: IpmiSim;
  let p: IpmiParameters;
  const driver = new IpmiDriver();
  const since = (n: number) =>
    sim
      .state()
      .requests.slice(n)
      .map((r) => r.argv.join(' '));

  beforeAll(async () => {
    sim = await startIpmiSim({ password: PASSWORD, users: [{ name: 'viewer', password: 'viewpass1', privilege: 'user' }] });
    p = ipmiParametersSchema.parse(sim.parameters);
  });
  afterAll(() => sim?.stop());

  it('powers on and off, and query tells the state', async () => {
    sim.setPower(false);
    expect(await driver.query(p, op())).toBe('off');
    const n = sim.state().requests.length;
    await driver.powerOn(p, op());
    expect(sim.state().power).toBe('on');
    expect(since(n)).toContain('set power 1');
    expect(await driver.query(p, op())).toBe('on');
    await driver.powerOff(p, op());
    expect(sim.state().power).toBe('off');
    expect(await driver.query(p, op())).toBe('off');
  });

  it('query returns the state changed behind its back', async () => {
    sim.setPower(true);
    expect(await driver.query(p, op())).toBe('on');
    sim.setPower(false);
    expect(await driver.query(p, op())).toBe('off');
  });

  it('soft off asks the chassis for an ACPI shutdown', async () => {
    sim.setPower(true);
    const n = sim.state().requests.length;
    await driver.softOff(p, op());
    expect(since(n)).toContain('set shutdown 1');
    expect(sim.state().power).toBe('off');
  });

  it('cycle turns a running machine off and on again', async () => {
    sim.setPower(true);
    const n = sim.state().requests.length;
    await driver.cycle(p, op());
    // ipmi_sim powers off at once and back on a second later.
    await eventually(() => since(n).includes('set power 1') && sim.state().power === 'on');
    expect(since(n).filter((r) => r.startsWith('set power'))).toEqual(['set power 0', 'set power 1']);
  });

  it('cycle powers on a machine that is off', async () => {
    await new Promise((r) => setTimeout(r, 1200)); // let an earlier cycle's delayed power-on pass
    sim.setPower(false);
    const n = sim.state().requests.length;
    await driver.cycle(p, op());
    expect(since(n).filter((r) => r.startsWith('set power'))).toEqual(['set power 1']);
    expect(sim.state().power).toBe('on');
  });

  it('sets the next boot device to pxe, then disk', async () => {
    await driver.setBootDevice(p, 'pxe', op());
    expect(sim.state().boot).toBe('pxe');
    await driver.setBootDevice(p, 'disk', op());
    expect(sim.state().boot).toBe('disk');
    await driver.setBootDevice({ ...p, bootMode: 'efi' }, 'pxe', op());
    expect(sim.state().boot).toBe('pxe');
  });

  it('a wrong password is a clear auth failure, fast, that names no password', async () => {
    const started = Date.now();
    const error = await failure(driver.powerOn({ ...p, password: 'not-the-one' }, op()));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error.reason).toBe('auth');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`BMC 127.0.0.1:${sim.port} rejected the password of user 'admin'`);
    expect(error.message).not.toContain('not-the-one');
  });

  it('an unknown user is an auth failure', async () => {
    const error = await failure(driver.query({ ...p, username: 'nobody' }, op()));
    expect(error.reason).toBe('auth');
    expect(error.message).toMatch(/does not know user 'nobody'/);
  });

  it('a user without enough privilege is an auth failure that says so', async () => {
    const viewer = { ...p, username: 'viewer', password: 'viewpass1' };
    const asUser = { ...viewer, privilege: 'user' as const };
    expect(await driver.query(asUser, op())).toMatch(/^(on|off)$/);
    const error = await failure(driver.powerOn(asUser, op()));
    expect(error.reason).toBe('auth');
    expect(error.message).toMatch(/Insufficient privilege level.*privilege user is not enough/);
  });

  it('speaks IPMI 1.5 (interface lan) too', async () => {
    sim.setPower(true);
    expect(await driver.query({ ...p, interface: 'lan' }, op())).toBe('on');
  });

  it('the password is in no command line while ipmitool runs, only in its environment', async () => {
    const seen: { cmdline: string; environ: string; others: string[] }[] = [];
    const spy = new IpmiDriver({
      onSpawn: (pid) => {
        const others = readdirSync('/proc')
          .filter((name) => /^\d+$/.test(name))
          .flatMap((name) => {
            try {
              return [readFileSync(`/proc/${name}/cmdline`, 'utf8')];
            } catch {
              return []; // ended meanwhile
            }
          });
        seen.push({ cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8'), environ: readFileSync(`/proc/${pid}/environ`, 'utf8'), others });
      },
    });
    await spy.query(p, op());
    expect(seen).toHaveLength(1);
    const [run] = seen as [(typeof seen)[number]];
    expect(run.cmdline.split('\0')).toEqual(expect.arrayContaining(['ipmitool', '-E', '-U', 'admin', '-C', '3']));
    expect(run.cmdline).not.toContain(PASSWORD);
    expect(run.others.filter((c) => c.includes(PASSWORD))).toEqual([]);
    expect(run.environ.split('\0')).toContain(`IPMI_PASSWORD=${PASSWORD}`);
    expect(run.environ).not.toMatch(/(^|\0)(HOME|USER)=/); // a minimal environment, not the parent's
  });

  it('the same over IPv6 loopback', async () => {
    const six = await startIpmiSim({ host: '::1', power: 'on' });
    try {
      const p6 = ipmiParametersSchema.parse({ ...six.parameters, address: '[::1]' });
      expect(await driver.query(p6, op())).toBe('on');
      await driver.powerOff(p6, op());
      expect(six.state().power).toBe('off');
    } finally {
      await six.stop();
    }
  });
});

describe.skipIf(missing !== null)('ipmi driver: failures', () => {
  const driver = new IpmiDriver();

  it('bootdev on a BMC without chassis control fails although ipmitool exits 0', async () => {
    const bare = await startIpmiSim({ chassisProgram: false });
    try {
      const p = ipmiParametersSchema.parse(bare.parameters);
      const error = await failure(driver.setBootDevice(p, 'pxe', op()));
      expect(error.reason).toBe('unsupported');
      expect(error.message).toMatch(
        /does not support chassis bootdev pxe: Set Chassis Boot Parameter \d failed: Invalid data field in request/,
      );
      // The premise: ipmitool itself reports success.
      const { runProcess } = await import('../process.js');
      const raw = await runProcess('ipmitool', driver.argumentsFor(p, ['chassis', 'bootdev', 'pxe']), {
        ...op(),
        env: { IPMI_PASSWORD: p.password },
      });
      expect(raw.code).toBe(0);
      expect(raw.stderr).toMatch(/failed: Invalid data field in request/);
    } finally {
      await bare.stop();
    }
  });

  it('an unreachable BMC is an unreachable failure once ipmitool gives up', async () => {
    const port = await freeUdpPort();
    const quick = new IpmiDriver({ answerTimeoutSeconds: 1, retransmits: 1 });
    const p = ipmiParametersSchema.parse({ address: '127.0.0.1', port: String(port), username: 'admin', password: PASSWORD });
    const started = Date.now();
    const error = await failure(quick.query(p, op(15_000)));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error.reason).toBe('unreachable');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`no answer from BMC 127.0.0.1:${port}`);
  });

  it("the caller's signal stops a call to an unreachable BMC promptly and kills ipmitool", async () => {
    let pid = 0;
    const watched = new IpmiDriver({ onSpawn: (child) => (pid = child) });
    const p = ipmiParametersSchema.parse({ address: '127.0.0.2', username: 'admin', password: PASSWORD });
    const started = Date.now();
    const error = await failure(watched.powerOn(p, op(800)));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.reason).toBe('timeout');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^ipmitool did not finish before the deadline/);
    await eventually(() => {
      try {
        return !/^State:\s+[RSD]/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
      } catch {
        return true; // gone
      }
    }, 2000);
  });
});

describe('ipmi driver without ipmitool', () => {
  it('a missing ipmitool is a config failure that says how to install it', async () => {
    const p = ipmiParametersSchema.parse({ address: '127.0.0.1' });
    const error = await failure(new IpmiDriver({ ipmitool: 'ipmitool-not-installed' }).query(p, op()));
    expect(error.reason).toBe('config');
    expect(error.message).toBe('ipmitool-not-installed is not installed or not on PATH (install the Debian package ipmitool)');
  });
});
