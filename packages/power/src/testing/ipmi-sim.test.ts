/** The ipmi_sim harness itself: a caller's own chassis program, and a clean stop. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IpmiDriver } from '../ipmi/driver.js';
import { ipmiParametersSchema } from '../parameters.js';
import { builtInChassisScript } from './chassis-script.js';
import { ipmiToolsMissing } from './tools.js';
import { startIpmiSim } from './ipmi-sim.js';

const missing = ipmiToolsMissing();
if (missing) console.warn(`SKIPPED: ipmi_sim harness tests: ${missing}`);
const op = () => ({ signal: AbortSignal.timeout(10_000) });

describe.skipIf(missing !== null)('the ipmi_sim harness', () => {
  const own = mkdtempSync(join(tmpdir(), 'metalyard-own-chassis-'));
  afterAll(() => rmSync(own, { recursive: true, force: true }));

  it("drives the caller's own chassis program and still records every request", async () => {
    // The caller's program: here the built-in protocol in a directory of the test's own.
    const program = join(own, 'chassis.sh');
    writeFileSync(program, builtInChassisScript());
    chmodSync(program, 0o755);
    writeFileSync(join(own, 'power'), '0\n');
    writeFileSync(join(own, 'boot'), 'none\n');
    const sim = await startIpmiSim({ chassisProgram: program });
    try {
      const p = ipmiParametersSchema.parse(sim.parameters);
      const driver = new IpmiDriver();
      await driver.powerOn(p, op());
      expect(readFileSync(join(own, 'power'), 'utf8').trim()).toBe('1');
      expect(sim.state()).toMatchObject({ power: 'on', boot: 'none' });
      sim.setPower(false);
      expect(await driver.query(p, op())).toBe('off');
      await driver.setBootDevice(p, 'pxe', op());
      expect(sim.state().boot).toBe('pxe');
      expect(sim.state().requests.map((r) => r.argv.join(' '))).toEqual(
        expect.arrayContaining(['set power 1', 'get power', 'set boot pxe']),
      );
    } finally {
      await sim.stop();
    }
  });

  it('stop ends ipmi_sim by its pid, removes its files, and may be called twice', async () => {
    const sim = await startIpmiSim();
    const conf = readFileSync(`/proc/${sim.pid}/cmdline`, 'utf8').split('\0')[2] ?? '';
    expect(conf).toMatch(/lan\.conf$/);
    await Promise.all([sim.stop(), sim.stop()]);
    expect(existsSync(conf)).toBe(false);
    const alive = (() => {
      try {
        return !/^State:\s+Z/m.test(readFileSync(`/proc/${sim.pid}/status`, 'utf8'));
      } catch {
        return false;
      }
    })();
    expect(alive).toBe(false);
  });
});
