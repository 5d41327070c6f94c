/**
 * Operator-given URLs, for PDUs and custom gear: actions are POSTs with an empty body, the status a GET
 * answering JSON (`{"state":"on"}`, `{"power":"off"}`, `{"powerState":"on"}`, `"on"`) or the text
 * `on`/`off`. The optional `secretHeader` goes with every call and never into a message. Messages show a
 * URL without its query string, which may carry a token.
 */
import {
  PowerDriverError,
  type BootDevice,
  type OperationOptions,
  type PowerCapabilities,
  type PowerDriver,
  type PowerState,
} from '../driver.js';
import { httpRequest, safeUrl, type HttpResponse } from '../http.js';
import { webhookParametersSchema, type WebhookParameters } from '../parameters.js';
import { excerpt, scrub } from '../text.js';

const STATE_KEYS = ['state', 'power', 'powerState', 'status'];

/** `on`/`off` from a status answer, or undefined when it says neither. */
export function webhookPowerState(text: string, json: unknown): 'on' | 'off' | undefined {
  const word = (value: unknown) => {
    if (typeof value !== 'string') return undefined;
    const v = value.trim().toLowerCase();
    return v === 'on' || v === 'off' ? v : undefined;
  };
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    for (const key of STATE_KEYS) {
      const found = word((json as Record<string, unknown>)[key]);
      if (found) return found;
    }
    return undefined;
  }
  return word(json) ?? word(text);
}

export class WebhookDriver implements PowerDriver<WebhookParameters> {
  readonly type = 'webhook' as const;
  readonly capabilities = { query: true, softOff: true, bootDevice: true, cycle: true };
  readonly parameters = webhookParametersSchema;

  /** Soft off and the boot device only where their URLs are set (both PXE and disk for `bootDevice`). */
  capabilitiesFor(p: WebhookParameters): PowerCapabilities {
    return {
      query: true,
      cycle: true,
      softOff: p.softOffUrl !== undefined,
      bootDevice: p.bootPxeUrl !== undefined && p.bootDiskUrl !== undefined,
    };
  }

  private async call(p: WebhookParameters, method: 'GET' | 'POST', url: string, what: string, o: OperationOptions): Promise<HttpResponse> {
    const headers: Record<string, string> = {};
    if (p.secretHeader) headers[p.secretHeader.name] = p.secretHeader.value;
    if (method === 'GET') headers.accept = 'application/json, text/plain;q=0.9';
    const response = await httpRequest({ url, method, headers, verifyTls: p.verifyTls, signal: o.signal, maxBytes: 64 * 1024 });
    const { status } = response;
    if (status >= 200 && status < 300) return response;
    const where = `${method} ${safeUrl(url)}`;
    const said = excerpt(scrub(response.text, p.secretHeader?.value ?? ''), 100);
    const detail = said ? `: ${said}` : '';
    if (status === 401 || status === 403) return fail('auth', `${where} to ${what} was rejected (HTTP ${status}); check secretHeader`);
    if (status === 404) return fail('config', `${where} to ${what}: not found (HTTP 404); check the URL`);
    if (status >= 500) return fail('protocol', `${where} to ${what} failed (HTTP ${status}${detail})`);
    if (status >= 400) return fail('refused', `${where} to ${what} was refused (HTTP ${status}${detail})`);
    return fail('protocol', `${where} to ${what} answered HTTP ${status} (redirects are not followed)`);
  }

  private async post(p: WebhookParameters, url: string | undefined, what: string, missing: string, o: OperationOptions): Promise<void> {
    if (url === undefined) throw new PowerDriverError('unsupported', `power type webhook: no ${missing} is set, so it cannot ${what}`);
    await this.call(p, 'POST', url, what, o);
  }

  async powerOn(p: WebhookParameters, o: OperationOptions): Promise<void> {
    await this.post(p, p.powerOnUrl, 'power on', 'powerOnUrl', o);
  }

  async powerOff(p: WebhookParameters, o: OperationOptions): Promise<void> {
    await this.post(p, p.powerOffUrl, 'power off', 'powerOffUrl', o);
  }

  async softOff(p: WebhookParameters, o: OperationOptions): Promise<void> {
    await this.post(p, p.softOffUrl, 'shut down gracefully', 'softOffUrl', o);
  }

  /** `powerCycleUrl` where set; else off then on; a node that is off is powered on. */
  async cycle(p: WebhookParameters, o: OperationOptions): Promise<void> {
    if (p.powerCycleUrl !== undefined) return this.post(p, p.powerCycleUrl, 'power cycle', 'powerCycleUrl', o);
    if ((await this.query(p, o)) === 'on') await this.powerOff(p, o);
    await this.powerOn(p, o);
  }

  async query(p: WebhookParameters, o: OperationOptions): Promise<PowerState> {
    const response = await this.call(p, 'GET', p.powerStatusUrl, 'query the power', o);
    const state = webhookPowerState(response.text, response.json);
    if (state) return state;
    const said = excerpt(scrub(response.text, p.secretHeader?.value ?? ''), 100) || '(empty)';
    throw new PowerDriverError(
      'protocol',
      `GET ${safeUrl(p.powerStatusUrl)} answered neither on nor off: ${said} (expected {"state":"on"}, {"power":"off"}, {"powerState":"on"} or the text on/off)`,
    );
  }

  async setBootDevice(p: WebhookParameters, device: BootDevice, o: OperationOptions): Promise<void> {
    if (device === 'pxe') await this.post(p, p.bootPxeUrl, 'set the next boot to PXE', 'bootPxeUrl', o);
    else await this.post(p, p.bootDiskUrl, 'set the next boot to disk', 'bootDiskUrl', o);
  }
}

function fail(reason: PowerDriverError['reason'], message: string): never {
  throw new PowerDriverError(reason, message);
}
