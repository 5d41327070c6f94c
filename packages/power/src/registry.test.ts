import { describe, expect, it } from 'vitest';
import { POWER_DRIVER_TYPES, PowerDriverError } from './driver.js';
import { ManualDriver } from './manual/driver.js';
import { POWER_DRIVERS, createPowerDriver, resolvePowerDriver } from './registry.js';

describe('the registry', () => {
  it('has one driver per type, each with its schema', () => {
    for (const type of POWER_DRIVER_TYPES) {
      expect(POWER_DRIVERS[type].type).toBe(type);
      expect(createPowerDriver(type).type).toBe(type);
    }
    expect(POWER_DRIVERS.manual.parameters.safeParse({}).success).toBe(true);
  });

  it('a power type without a driver is unsupported', () => {
    expect(() => createPowerDriver('amt')).toThrow(
      new PowerDriverError('unsupported', 'power type amt has no driver: Metalyard drives ipmi, redfish, webhook, manual'),
    );
  });

  it('resolves a driver and its parsed parameters, or lists every problem by field', () => {
    const { driver, parameters } = resolvePowerDriver('ipmi', { address: '10.0.0.5', port: '6230', password: 'pw' });
    expect(driver.type).toBe('ipmi');
    expect(parameters).toMatchObject({ address: '10.0.0.5', port: 6230 });
    let error: unknown;
    try {
      resolvePowerDriver('ipmi', { port: 'x', secret: 'zz-hidden' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PowerDriverError);
    expect((error as PowerDriverError).reason).toBe('config');
    expect((error as PowerDriverError).message).toBe(
      'power type ipmi: powerParameters.address: required for ipmi; powerParameters.port: must be a port number from 1 to 65535; powerParameters: unknown parameter(s) for ipmi: secret (known: address, username, password, port, privilege, cipherSuite, interface, bootMode)',
    );
  });

  it('errors know whether a retry may help', () => {
    const retryable = Object.fromEntries(
      (['auth', 'unreachable', 'timeout', 'refused', 'unsupported', 'protocol', 'config'] as const).map((r) => [
        r,
        new PowerDriverError(r, 'x').retryable,
      ]),
    );
    expect(retryable).toEqual({
      auth: false,
      unreachable: true,
      timeout: true,
      refused: false,
      unsupported: false,
      protocol: true,
      config: false,
    });
  });
});

describe('the manual driver', () => {
  it('can do nothing and tells the operator what to do', async () => {
    const manual = new ManualDriver();
    expect(manual.capabilities).toEqual({ query: false, softOff: false, bootDevice: false, cycle: false });
    const said: string[] = [];
    for (const call of [
      () => manual.powerOn(),
      () => manual.powerOff(),
      () => manual.softOff(),
      () => manual.cycle(),
      () => manual.query(),
      () => manual.setBootDevice({}, 'pxe'),
    ]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(PowerDriverError);
      expect((error as PowerDriverError).reason).toBe('unsupported');
      said.push((error as PowerDriverError).message);
    }
    expect(said[0]).toBe('power type manual: turn the node on by hand');
    expect(said[5]).toBe('power type manual: make the node boot from the network (PXE) next by hand');
  });
});
