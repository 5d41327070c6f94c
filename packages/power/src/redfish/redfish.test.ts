/** The redfish driver against a Redfish service on loopback with a self-signed certificate. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowerDriverError } from '../driver.js';
import { redfishParametersSchema, type RedfishParameters } from '../parameters.js';
import { freeTcpPort } from '../testing/ports.js';
import { startRedfishServer, type RedfishServer } from '../testing/redfish-server.js';
import { RedfishDriver } from './driver.js';

const op = (ms = 10_000) => ({ signal: AbortSignal.timeout(ms) });
const driver = new RedfishDriver();
const parse = (raw: Record<string, string>) => redfishParametersSchema.parse(raw);

async function failure(promise: Promise<unknown>): Promise<PowerDriverError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PowerDriverError);
  return error as PowerDriverError;
}

describe('redfish driver', () => {
  let bmc: RedfishServer;
  let p: RedfishParameters;
  beforeAll(async () => {
    bmc = await startRedfishServer({ password: 'Redf1sh-pw' });
    p = parse(bmc.parameters);
  });
  afterAll(() => bmc?.stop());

  it('powers on and off, and query tells the state', async () => {
    expect(await driver.query(p, op())).toBe('off');
    await driver.powerOn(p, op());
    expect(bmc.state().power).toBe('On');
    expect(await driver.query(p, op())).toBe('on');
    await driver.powerOff(p, op());
    expect(bmc.state().resets.slice(-2)).toEqual(['On', 'ForceOff']);
    expect(await driver.query(p, op())).toBe('off');
  });

  it('finds the system as the first member of /redfish/v1/Systems, or takes systemPath', async () => {
    const start = bmc.requests.length;
    await driver.query(p, op());
    expect(bmc.requests.slice(start).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /redfish/v1/Systems', 'GET /redfish/v1/Systems/1']);
    const direct = bmc.requests.length;
    await driver.query({ ...p, systemPath: '/redfish/v1/Systems/1' }, op());
    expect(bmc.requests.slice(direct).map((r) => r.path)).toEqual(['/redfish/v1/Systems/1']);
    const error = await failure(driver.query({ ...p, systemPath: '/redfish/v1/Systems/9' }, op()));
    expect(error.reason).toBe('config');
    expect(error.message).toMatch(/GET \/redfish\/v1\/Systems\/9 on https:\/\/127\.0\.0\.1:\d+: not found \(HTTP 404\); check systemPath/);
  });

  it('query returns the state changed behind its back', async () => {
    bmc.setPower(true);
    expect(await driver.query(p, op())).toBe('on');
    bmc.setPower(false);
    expect(await driver.query(p, op())).toBe('off');
  });

  it('soft off is GracefulShutdown; cycle is PowerCycle, or On when off', async () => {
    bmc.setPower(true);
    await driver.softOff(p, op());
    expect(bmc.state().resets.at(-1)).toBe('GracefulShutdown');
    bmc.setPower(true);
    await driver.cycle(p, op());
    expect(bmc.state().resets.at(-1)).toBe('PowerCycle');
    bmc.setPower(false);
    await driver.cycle(p, op());
    expect(bmc.state().resets.at(-1)).toBe('On');
    expect(bmc.state().power).toBe('On');
  });

  it('sets a one-time boot override to Pxe, then Hdd', async () => {
    await driver.setBootDevice(p, 'pxe', op());
    expect(bmc.state().boot).toEqual({ target: 'Pxe', enabled: 'Once' });
    await driver.setBootDevice(p, 'disk', op());
    expect(bmc.state().boot).toEqual({ target: 'Hdd', enabled: 'Once' });
    expect(bmc.requests.at(-1)?.body).toEqual({ Boot: { BootSourceOverrideTarget: 'Hdd', BootSourceOverrideEnabled: 'Once' } });
  });

  it('refuses an untrusted certificate with verifyTls on, saying to turn it off', async () => {
    const error = await failure(driver.query({ ...p, verifyTls: true }, op()));
    expect(error.reason).toBe('config');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      `the TLS certificate of ${bmc.url} is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT); for a BMC with a self-signed certificate set verifyTls=false`,
    );
  });

  it('a wrong password is an auth failure that names no password', async () => {
    const error = await failure(driver.powerOn({ ...p, password: 'wrong-password' }, op()));
    expect(error.reason).toBe('auth');
    expect(error.message).toBe(`Redfish service ${bmc.url} rejected the credentials of user 'root' (HTTP 401)`);
    expect(error.message).not.toMatch(/wrong-password|Redf1sh-pw/);
  });

  it("the caller's signal stops a slow service", async () => {
    bmc.setDelay(5000);
    try {
      const started = Date.now();
      const error = await failure(driver.query(p, op(300)));
      expect(Date.now() - started).toBeLessThan(1500);
      expect(error.reason).toBe('timeout');
      expect(error.message).toMatch(/^GET https:\/\/127\.0\.0\.1:\d+\/redfish\/v1\/Systems: no answer before the deadline/);
    } finally {
      bmc.setDelay(0);
    }
  });
});

describe('redfish driver: what the service allows', () => {
  it('without PowerCycle, cycles with ForceRestart; without either, ForceOff then On', async () => {
    const restart = await startRedfishServer({ power: 'On', resetTypes: ['On', 'ForceOff', 'ForceRestart'] });
    const bare = await startRedfishServer({ power: 'On', resetTypes: ['On', 'ForceOff'], actionInfo: true });
    try {
      await driver.cycle(parse(restart.parameters), op());
      expect(restart.state().resets).toEqual(['ForceRestart']);
      await driver.cycle(parse(bare.parameters), op());
      expect(bare.state().resets).toEqual(['ForceOff', 'On']);
      expect(bare.requests.some((r) => r.path.endsWith('/ResetActionInfo'))).toBe(true);
      const error = await failure(driver.softOff(parse(bare.parameters), op()));
      expect(error.reason).toBe('unsupported');
      expect(error.message).toMatch(/cannot shut down gracefully: it allows ResetType On, ForceOff, not GracefulShutdown/);
    } finally {
      await Promise.all([restart.stop(), bare.stop()]);
    }
  });

  it('a service that does not list its reset types and refuses PowerCycle is cycled as ForceOff then On', async () => {
    const quiet = await startRedfishServer({ power: 'On', resetTypes: null, accepts: ['On', 'ForceOff'], tls: false });
    try {
      await driver.cycle(parse({ ...quiet.parameters, address: quiet.url }), op());
      expect(quiet.state().resets).toEqual(['ForceOff', 'On']);
      const posts = quiet.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { ResetType: string }).ResetType);
      expect(posts).toEqual(['PowerCycle', 'ForceOff', 'On']);
    } finally {
      await quiet.stop();
    }
  });

  it('sends the ETag when the service wants one, and refuses a boot target it does not offer', async () => {
    const strict = await startRedfishServer({ requireEtag: true, bootTargets: ['None', 'Hdd'] });
    try {
      const p = parse(strict.parameters);
      await driver.setBootDevice(p, 'disk', op());
      expect(strict.state().boot).toEqual({ target: 'Hdd', enabled: 'Once' });
      const error = await failure(driver.setBootDevice(p, 'pxe', op()));
      expect(error.reason).toBe('unsupported');
      expect(error.message).toMatch(/cannot boot from Pxe: it allows None, Hdd/);
    } finally {
      await strict.stop();
    }
  });

  it('no service listening is unreachable and retryable', async () => {
    const port = await freeTcpPort();
    const error = await failure(
      driver.query(parse({ address: `127.0.0.1:${port}`, username: 'u', password: 'p', verifyTls: 'false' }), op()),
    );
    expect(error.reason).toBe('unreachable');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(`no connection to https://127.0.0.1:${port}/redfish/v1/Systems (ECONNREFUSED)`);
  });
});
