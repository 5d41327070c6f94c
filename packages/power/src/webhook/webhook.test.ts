/** The webhook driver against an HTTP server on loopback that records its calls. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PowerDriverError } from '../driver.js';
import { webhookParametersSchema, type WebhookParameters } from '../parameters.js';
import { startRedfishServer } from '../testing/redfish-server.js';
import { startWebhookServer, type WebhookServer } from '../testing/webhook-server.js';
import { WebhookDriver } from './driver.js';

const op = (ms = 10_000) => ({ signal: AbortSignal.timeout(ms) });
const driver = new WebhookDriver();
const SECRET = 'Bearer pdu-token-81f3';

async function failure(promise: Promise<unknown>): Promise<PowerDriverError> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PowerDriverError);
  return error as PowerDriverError;
}

describe('webhook driver', () => {
  let pdu: WebhookServer;
  let p: WebhookParameters;
  const calls = (from: number) => pdu.calls.slice(from).map((c) => `${c.method} ${c.path}`);
  beforeAll(async () => {
    pdu = await startWebhookServer({ secretHeader: `Authorization: ${SECRET}` });
    p = webhookParametersSchema.parse(pdu.parameters);
  });
  afterAll(() => pdu?.stop());

  it('posts to the action URLs with the secret header, and reads the status', async () => {
    const n = pdu.calls.length;
    await driver.powerOn(p, op());
    expect(await driver.query(p, op())).toBe('on');
    await driver.softOff(p, op());
    await driver.powerOff(p, op());
    expect(await driver.query(p, op())).toBe('off');
    expect(calls(n)).toEqual(['POST /on', 'GET /status', 'POST /soft-off', 'POST /off', 'GET /status']);
    expect(pdu.calls.slice(n).every((c) => c.headers.authorization === SECRET)).toBe(true);
  });

  it('reads the status in every documented form', async () => {
    const forms = ['{"state":"on"}', '{"power":"ON"}', '{"powerState":"on"}', '"on"', 'on\n', ' On '];
    try {
      for (const body of forms) {
        pdu.status = () => ({ code: 200, body });
        expect(await driver.query(p, op()), body).toBe('on');
      }
      pdu.status = () => ({ code: 200, body: JSON.stringify({ state: 'standby', detail: 'x'.repeat(500) }) });
      const error = await failure(driver.query(p, op()));
      expect(error.reason).toBe('protocol');
      expect(error.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/status answered neither on nor off: \{"state":"standby"/);
      expect(error.message).not.toContain('query-token');
      expect(error.message.length).toBeLessThan(300);
    } finally {
      pdu.status = (power) => ({ code: 200, body: JSON.stringify({ state: power }) });
    }
  });

  it('cycles with powerCycleUrl, or off then on, or on when off', async () => {
    let n = pdu.calls.length;
    await driver.cycle(p, op());
    expect(calls(n)).toEqual(['POST /cycle']);
    const { powerCycleUrl: _none, ...noCycle } = p;
    pdu.power = 'on';
    n = pdu.calls.length;
    await driver.cycle(noCycle, op());
    expect(calls(n)).toEqual(['GET /status', 'POST /off', 'POST /on']);
    pdu.power = 'off';
    n = pdu.calls.length;
    await driver.cycle(noCycle, op());
    expect(calls(n)).toEqual(['GET /status', 'POST /on']);
  });

  it('sets the boot device through its URLs, and says when there is none', async () => {
    await driver.setBootDevice(p, 'pxe', op());
    expect(pdu.boot).toBe('pxe');
    await driver.setBootDevice(p, 'disk', op());
    expect(pdu.boot).toBe('disk');
    const { bootPxeUrl: _a, bootDiskUrl: _b, softOffUrl: _c, ...plain } = p;
    expect(driver.capabilitiesFor(plain)).toEqual({ query: true, cycle: true, softOff: false, bootDevice: false });
    expect(driver.capabilitiesFor(p)).toEqual({ query: true, cycle: true, softOff: true, bootDevice: true });
    const error = await failure(driver.setBootDevice(plain, 'pxe', op()));
    expect(error.reason).toBe('unsupported');
    expect(error.message).toBe('power type webhook: no bootPxeUrl is set, so it cannot set the next boot to PXE');
  });

  it('a wrong secret is an auth failure that never shows it', async () => {
    const wrong = { ...p, secretHeader: { name: 'Authorization', value: 'Bearer wrong-token-x' } };
    const error = await failure(driver.powerOn(wrong, op()));
    expect(error.reason).toBe('auth');
    expect(error.message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/on to power on was rejected \(HTTP 401\); check secretHeader$/);
    expect(error.message).not.toMatch(/wrong-token|pdu-token/);
  });

  it('HTTP errors are classified; an unknown URL is a config failure', async () => {
    const error = await failure(driver.powerOn({ ...p, powerOnUrl: `${pdu.url}/missing` }, op()));
    expect(error.reason).toBe('config');
    pdu.status = () => ({ code: 503, body: 'busy' });
    try {
      const busy = await failure(driver.query(p, op()));
      expect(busy.reason).toBe('protocol');
      expect(busy.retryable).toBe(true);
      expect(busy.message).toMatch(/failed \(HTTP 503: busy\)$/);
    } finally {
      pdu.status = (power) => ({ code: 200, body: JSON.stringify({ state: power }) });
    }
  });
});

describe('webhook driver over HTTPS', () => {
  it('checks the certificate unless verifyTls is false', async () => {
    // Any HTTPS server with a self-signed certificate will do: the Redfish one's service root answers JSON without a state.
    const tls = await startRedfishServer();
    try {
      const urls = { powerOnUrl: `${tls.url}/on`, powerOffUrl: `${tls.url}/off`, powerStatusUrl: `${tls.url}/redfish/v1` };
      const strict = await failure(driver.query(webhookParametersSchema.parse(urls), op()));
      expect(strict.reason).toBe('config');
      expect(strict.message).toMatch(
        /is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\); for a BMC with a self-signed certificate set verifyTls=false$/,
      );
      const lax = await failure(driver.query(webhookParametersSchema.parse({ ...urls, verifyTls: 'false' }), op()));
      expect(lax.reason).toBe('protocol');
      expect(lax.message).toMatch(/answered neither on nor off: \{"@odata.id":"\/redfish\/v1"/);
    } finally {
      await tls.stop();
    }
  });
});
